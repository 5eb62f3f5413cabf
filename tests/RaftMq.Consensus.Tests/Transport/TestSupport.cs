using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Tests.Transport;

/// <summary>Captures log entries so tests can wait for and inspect specific events.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Entries => _entries.ToArray();

    public IEnumerable<string> MessagesWithId(int eventId) => Entries.Where(e => e.EventId == eventId).Select(e => e.Message);

    public bool Has(int eventId) => Entries.Any(e => e.EventId == eventId);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
}

internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Polls until the condition holds; fails naming what was awaited after a generous deadline.</summary>
    public static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"gave up after {Deadline.TotalSeconds} s waiting until {what}");
            await Task.Delay(10);
        }
    }

    public static async Task<InboundPayload> ReadOne(PeerTransport transport)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        return await transport.Inbound.ReadAsync(timeout.Token);
    }
}

internal static class FreePorts
{
    /// <summary>Ports the OS hands out for 127.0.0.1:0, all held open together so they are distinct.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}

/// <summary>Transports of one group on loopback; tracks connect/disconnect events per node.</summary>
internal sealed class TransportGroup : IAsyncDisposable
{
    private readonly List<PeerTransport> _started = [];

    public TransportGroup(int size, string group = "RaftNode00", Func<PeerTransportOptions, PeerTransportOptions>? tune = null)
    {
        Group = group;
        Ports = FreePorts.Take(size);
        PeersText = string.Join(';', Ports.Select((port, i) => $"n{i}-127.0.0.1:{port}"));
        Tune = tune ?? (o => o);
    }

    public string Group { get; }
    public int[] Ports { get; }
    public string PeersText { get; }
    public Func<PeerTransportOptions, PeerTransportOptions> Tune { get; }
    public ConcurrentQueue<(string Node, string Event, string Peer)> Events { get; } = new();
    public Dictionary<string, CapturingLogger<PeerTransport>> Logs { get; } = [];

    public PeerTransportOptions OptionsFor(string selfId, string? peersText = null, string? group = null) => Tune(new PeerTransportOptions
    {
        GroupName = group ?? Group,
        SelfId = selfId,
        Peers = DLedgerPeers.Parse(peersText ?? PeersText),
        ReconnectBackoffMax = TimeSpan.FromMilliseconds(200),
    });

    public async Task<PeerTransport> Start(string selfId, PeerTransportOptions? options = null)
    {
        var log = new CapturingLogger<PeerTransport>();
        Logs[selfId] = log;
        var transport = new PeerTransport(options ?? OptionsFor(selfId), log);
        transport.PeerConnected += peer => Events.Enqueue((selfId, "connected", peer));
        transport.PeerDisconnected += peer => Events.Enqueue((selfId, "disconnected", peer));
        await transport.StartAsync(CancellationToken.None);
        _started.Add(transport);
        return transport;
    }

    public int Count(string node, string evt, string peer) => Events.Count(e => e.Node == node && e.Event == evt && e.Peer == peer);

    public async ValueTask DisposeAsync()
    {
        foreach (var transport in _started) await transport.DisposeAsync();
    }
}
