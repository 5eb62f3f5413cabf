using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RaftMq.Consensus.Configuration;

namespace RaftMq.Consensus.Transport;

/// <summary>
/// The outbound side towards one peer: a bounded queue of payloads and a loop that dials (with backoff,
/// forever until stopped), handshakes and then drains the queue into coalesced socket writes. The connection is
/// send-only; a pending one-byte read on it notices at once when the peer's process dies (its kernel closes the
/// socket), which is the fast failover signal the runtime wants.
/// </summary>
internal sealed partial class PeerLink
{
    private readonly DLedgerPeer _peer;
    private readonly PeerTransportOptions _options;
    private readonly ILogger _logger;
    private readonly Action<string> _onConnected;
    private readonly Action<string> _onDisconnected;
    private readonly Func<FollowedConfiguration?> _followed;
    /// <summary>Set once the peer refused our version 3 handshake: it runs an older release, so we speak version 2.</summary>
    private bool _peerSpeaksLegacy;
    private readonly Channel<ReadOnlyMemory<byte>> _queue;
    private readonly ReconnectBackoff _backoff;
    // One limiter per kind of failure, so that e.g. "unreachable" while the peer boots does not hide the
    // configuration refusal that follows it.
    private readonly RepeatLimiter _unreachableLog;
    private readonly RepeatLimiter _refusedLog;
    private long _queuedBytes;
    private Socket? _socket;
    private Task _loop = Task.CompletedTask;

    public PeerLink(DLedgerPeer peer, PeerTransportOptions options, ILogger logger, Action<string> onConnected, Action<string> onDisconnected,
        Func<FollowedConfiguration?> followed)
    {
        _followed = followed;
        _peer = peer;
        _options = options;
        _logger = logger;
        _onConnected = onConnected;
        _onDisconnected = onDisconnected;
        _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(options.MaxQueuedPayloadsPerPeer)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of dropping something else
        });
        _backoff = new ReconnectBackoff(options.ReconnectBackoffMin, options.ReconnectBackoffMax);
        _unreachableLog = new RepeatLimiter(options.LogRepeatInterval);
        _refusedLog = new RepeatLimiter(options.LogRepeatInterval);
    }

    public string PeerId => _peer.Id;

    /// <summary>True while the link holds an accepted connection to its peer.</summary>
    public bool IsConnected => Volatile.Read(ref _connected);

    private bool _connected;

    /// <summary>Where this link dials (the peer's address, or its dial override).</summary>
    public DLedgerPeer DialAddress => _peer;

    /// <summary>Completes when the loop has ended after <see cref="Stop"/>.</summary>
    public Task Completion => _loop;

    public bool TryEnqueue(ReadOnlyMemory<byte> payload)
    {
        long queued = Interlocked.Add(ref _queuedBytes, payload.Length);
        bool overBudget = queued > _options.MaxQueuedBytesPerPeer && queued != payload.Length;
        if (!overBudget && _queue.Writer.TryWrite(payload)) return true;
        Interlocked.Add(ref _queuedBytes, -payload.Length);
        return false;
    }

    public void Start(CancellationToken stopping) => _loop = Task.Run(() => RunAsync(stopping), CancellationToken.None);

    /// <summary>Refuses further payloads and closes the socket; the caller cancels the loop's token first.</summary>
    public void Stop()
    {
        _queue.Writer.TryComplete();
        Interlocked.Exchange(ref _socket, null)?.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        int attempts = 0;
        while (!stopping.IsCancellationRequested)
        {
            attempts++;
            var connected = await TryConnectAsync(attempts, stopping).ConfigureAwait(false);
            if (connected is var (socket, stream))
            {
                LogMessages.PeerConnected(_logger, _peer.Id, _peer.Endpoint, attempts);
                attempts = 0;
                _backoff.Reset();
                _unreachableLog.Reset();
                _refusedLog.Reset();
                _onConnected(_peer.Id);
                Volatile.Write(ref _connected, true);
                string reason = await RunConnectedAsync(socket, stream, stopping).ConfigureAwait(false);
                Volatile.Write(ref _connected, false);
                if (stopping.IsCancellationRequested) break;
                LogMessages.PeerDisconnected(_logger, _peer.Id, _peer.Endpoint, reason);
                _onDisconnected(_peer.Id);
            }
            try
            {
                await Task.Delay(_backoff.Next(), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
