using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RaftMq.Broker.Tests.Store.Fakes;

/// <summary>Keeps every log event for assertions.</summary>
internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, EventId EventId, string Message)> Events { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Enqueue((logLevel, eventId, formatter(state, exception)));

    public int Count(int eventId) => Events.Count(e => e.EventId.Id == eventId);
}
