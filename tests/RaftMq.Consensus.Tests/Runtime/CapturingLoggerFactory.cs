using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RaftMq.Consensus.Tests.Runtime;

/// <summary>Collects every log event of every logger it creates, for assertions on event ids.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Message)> _events = new();

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Events => _events.ToArray();

    public bool Has(int eventId) => _events.Any(e => e.EventId == eventId);

    public IEnumerable<string> Messages(int eventId) => _events.Where(e => e.EventId == eventId).Select(e => e.Message);

    public ILogger CreateLogger(string categoryName) => new Logger(_events);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, int, string)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) events.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}
