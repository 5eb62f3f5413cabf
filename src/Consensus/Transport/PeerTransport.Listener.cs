using System.Net.Sockets;

namespace RaftMq.Consensus.Transport;

internal sealed partial class PeerTransport
{
    /// <summary>Refusal log limiters are keyed by claimed id and address; a flood of distinct claims must not grow
    /// the table without bound, so it is simply cleared past this size.</summary>
    private const int MaxRefusalLogLimiters = 1024;

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Transient (e.g. the dialer reset before accept completed, or out of descriptors): keep listening.
                LogMessages.AcceptFailed(_logger, e);
                continue;
            }
            var connection = new InboundConnection(socket, this, _options, _logger, _inbound.Writer);
            // Registered before it starts, so the removal on completion can never run first and leak the entry.
            var start = new Task<Task>(() => connection.RunAsync(stopping));
            var run = start.Unwrap();
            _connections[connection] = run;
            _ = run.ContinueWith(finished => ForgetConnection(connection, finished), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            start.Start(TaskScheduler.Default);
            if (stopping.IsCancellationRequested) connection.Abort();
        }
    }

    private void ForgetConnection(InboundConnection connection, Task finished)
    {
        _connections.TryRemove(connection, out _);
        if (finished.Exception is { } failure) LogMessages.InboundLoopFailed(_logger, failure.GetBaseException(), connection.Remote);
    }

    /// <summary>
    /// Makes <paramref name="connection"/> the one reader of its peer. A live connection of that member id (one that
    /// delivered within <see cref="PeerTransportOptions.InboundReplaceAfterSilence"/>) is never replaced: the new one
    /// is refused (false), so a forged connection cannot cut a member off. A silent one may be half-open (its peer
    /// restarted) and is superseded and closed; one reader per peer keeps its payloads in order.
    /// </summary>
    internal bool TryRegisterInbound(InboundConnection connection)
    {
        var peerId = connection.PeerId!;
        while (true)
        {
            if (_inboundByPeer.TryAdd(peerId, connection)) return true;
            if (!_inboundByPeer.TryGetValue(peerId, out var existing)) continue;
            if (existing.IsActiveWithin(_options.InboundReplaceAfterSilence)) return false;
            if (!_inboundByPeer.TryUpdate(peerId, connection, existing)) continue;
            LogMessages.InboundReplaced(_logger, peerId, connection.Remote, existing.Remote);
            existing.Abort();
            return true;
        }
    }

    internal void UnregisterInbound(InboundConnection connection) =>
        _inboundByPeer.TryRemove(new KeyValuePair<string, InboundConnection>(connection.PeerId!, connection));

    internal RepeatLimiter RefusalLogLimiter(string key)
    {
        if (_refusalLogLimiters.Count >= MaxRefusalLogLimiters) _refusalLogLimiters.Clear();
        return _refusalLogLimiters.GetOrAdd(key, _ => new RepeatLimiter(_options.LogRepeatInterval));
    }
}
