using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace RaftMq.Consensus.Transport;

/// <summary>
/// Moves opaque payloads between the members of one Raft group over TCP. Every node dials every other node
/// (one outbound, send-only connection per peer) and accepts their connections (receive-only), so each pair has
/// two connections and nobody has to decide who dials. Each connection starts with a handshake that refuses
/// other groups and differing <c>dLegerPeers</c>. Frames are <c>int32 length | uint32 CRC-32C | payload</c>.
/// Single use: start once, stop once (a restarted node creates a new instance).
/// </summary>
internal sealed partial class PeerTransport : IAsyncDisposable
{
    private readonly PeerTransportOptions _options;
    private readonly ILogger<PeerTransport> _logger;
    /// <summary>Copy-on-write (replaced under the state gate when the membership changes), read without a lock.</summary>
    private volatile Dictionary<string, PeerLink> _links = new(StringComparer.Ordinal);
    private readonly Channel<InboundPayload> _inbound;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<InboundConnection, Task> _connections = new();
    private readonly ConcurrentDictionary<string, InboundConnection> _inboundByPeer = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RepeatLimiter> _refusalLogLimiters = new(StringComparer.Ordinal);
    private readonly Lock _stateGate = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private State _state;

    private enum State { Created, Started, Stopped }

    public PeerTransport(PeerTransportOptions options, ILogger<PeerTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _logger = logger;
        _inbound = Channel.CreateBounded<InboundPayload>(new BoundedChannelOptions(options.InboundCapacity)
        {
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _accepted = new AcceptedMembers(new HashSet<string>(options.Peers.Ids, StringComparer.Ordinal), PeerCheck.SameDLedgerPeers, null);
        foreach (var peer in options.Peers.Members)
        {
            if (peer.Id == options.SelfId) continue;
            _links.Add(peer.Id, CreateLink(peer));
        }
    }

    /// <summary>Payloads received from peers, in order per connection. Bounded: while full, sockets are not read.
    /// Completed when the transport stops.</summary>
    public ChannelReader<InboundPayload> Inbound => _inbound.Reader;

    /// <summary>Raised (on a transport thread) when the outbound connection to a peer has completed its handshake:
    /// from now on payloads for that peer are being written.</summary>
    public event Action<string>? PeerConnected;

    /// <summary>Raised (on a transport thread) when an established outbound connection to a peer closes or fails,
    /// typically at once when the peer's process dies. Not raised for failed reconnect attempts, nor while this
    /// transport stops.</summary>
    public event Action<string>? PeerDisconnected;

    /// <summary>The address the listener is bound to (after <see cref="StartAsync"/>).</summary>
    public IPEndPoint? LocalEndpoint => _listener?.LocalEndPoint as IPEndPoint;

    /// <summary>
    /// Queues a payload for a peer without blocking. The transport keeps a reference to the memory until it is
    /// written: the caller must not reuse or modify it. Returns false when the peer's queue is full (count or bytes;
    /// Raft tolerates the loss) or the transport is stopped.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown peer id, self, or a payload above MaxFrameBytes.</exception>
    public bool TrySend(string peerId, ReadOnlyMemory<byte> payload)
    {
        if (!_links.TryGetValue(peerId, out var link))
            throw new ArgumentException($"'{peerId}' is not a peer of {_options.SelfId} (peers: {_options.Peers})", nameof(peerId));
        if (payload.Length > _options.MaxFrameBytes)
            throw new ArgumentException($"payload of {payload.Length} bytes exceeds MaxFrameBytes {_options.MaxFrameBytes}", nameof(payload));
        return link.TryEnqueue(payload);
    }

    /// <summary>Binds the listener on self's endpoint and starts dialing every peer.</summary>
    /// <exception cref="SocketException">The endpoint cannot be bound (in use, not a local address).</exception>
    public Task StartAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_stateGate)
        {
            if (_state != State.Created) throw new InvalidOperationException("A PeerTransport can be started once only");
            _state = State.Started;
        }
        var endpoint = _options.ListenEndpoint ?? SocketSetup.ListenEndpointFor(_options.Peers.Find(_options.SelfId)!);
        try
        {
            _listener = SocketSetup.Listen(endpoint);
        }
        catch (SocketException e)
        {
            LogMessages.ListenFailed(_logger, _options.SelfId, endpoint.ToString(), e.Message);
            lock (_stateGate) _state = State.Stopped;
            _inbound.Writer.TryComplete();
            foreach (var link in _links.Values) link.Stop();
            throw;
        }
        LogMessages.Listening(_logger, _options.SelfId, _options.GroupName, _listener.LocalEndPoint?.ToString() ?? endpoint.ToString());
        _acceptLoop = Task.Run(() => AcceptLoopAsync(_listener, _stopping.Token), CancellationToken.None);
        lock (_stateGate)
        {
            foreach (var link in _links.Values) StartLink(link);
        }
        return Task.CompletedTask;
    }

    /// <summary>Closes the listener and every connection and waits for all loops to end. Payloads still queued are
    /// dropped; <see cref="Inbound"/> is completed. Safe to call more than once.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        lock (_stateGate)
        {
            if (_state == State.Stopped) return;
            bool wasStarted = _state == State.Started;
            _state = State.Stopped;
            if (!wasStarted)
            {
                foreach (var link in _links.Values) link.Stop();
                _inbound.Writer.TryComplete();
                return;
            }
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        List<PeerLink> links;
        lock (_stateGate) links = [.. _links.Values];
        foreach (var link in links) link.Stop();
        foreach (var connection in _connections.Keys) connection.Abort();
        var loops = new List<Task>(links.Count + _connections.Count + 1) { _acceptLoop };
        loops.AddRange(links.Select(link => link.Completion));
        loops.AddRange(_connections.Values);
        await Task.WhenAll(loops).WaitAsync(ct).ConfigureAwait(false);
        _inbound.Writer.TryComplete();
        LogMessages.Stopped(_logger, _options.SelfId);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void Raise(Action<string>? handlers, string eventName, string peerId)
    {
        if (handlers is null || _stopping.IsCancellationRequested) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<string>>())
        {
            try
            {
                handler(peerId);
            }
            catch (Exception e)
            {
                LogMessages.EventHandlerFailed(_logger, e, eventName, peerId);
            }
        }
    }
}
