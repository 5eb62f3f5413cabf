using System.Net.Sockets;
using System.Security.Authentication;

namespace RaftMq.Consensus.Transport;

internal sealed partial class PeerLink
{
    /// <summary>Dials, secures (when TLS is on) and handshakes; returns the ready socket and the stream over it, or
    /// null after logging why not (throttled).</summary>
    private async Task<(Socket Socket, Stream Stream)?> TryConnectAsync(int attempt, CancellationToken stopping)
    {
        Socket? socket = null;
        Stream? stream = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            socket = await SocketSetup.ConnectAsync(_peer.Host, _peer.Port, timeout.Token).ConfigureAwait(false);
            Volatile.Write(ref _socket, socket);
            if (stopping.IsCancellationRequested) throw new OperationCanceledException(stopping);
            stream = await PeerStreams.DialAsync(socket, _peer.Host, _options.Tls, timeout.Token).ConfigureAwait(false);
            var request = Handshake.CreateRequest(_options, _followed(), _peerSpeaksLegacy);
            await stream.WriteAsync(Handshake.Encode(request), timeout.Token).ConfigureAwait(false);
            var response = await Handshake.ReadResponseAsync(stream, timeout.Token).ConfigureAwait(false);
            if (response.Status == HandshakeStatus.Challenge)
            {
                if (!TryAnswerChallenge(request, response, out byte[]? proof)) throw new InvalidDataException(ChallengeProblem(response));
                await stream.WriteAsync(Handshake.EncodeProof(proof), timeout.Token).ConfigureAwait(false);
                response = await Handshake.ReadResponseAsync(stream, timeout.Token).ConfigureAwait(false);
            }
            else if (response.Accepted && _options.Secret is not null)
            {
                throw new InvalidDataException($"peer {_peer.Id} accepted without proving the group secret (is its dLegerPeerSecret unset?)");
            }
            if (IsUsable(response)) return (socket, stream);
            if (request.Version == Handshake.CurrentVersion && response.Reason == Handshake.UnsupportedVersion)
            {
                // A peer of an older release: the next attempt offers no configuration (it could not use it anyway).
                _peerSpeaksLegacy = true;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            LogUnreachable(attempt, $"no connection and handshake within {_options.ConnectTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or ObjectDisposedException)
        {
            LogUnreachable(attempt, e.Message);
        }
        catch (AuthenticationException e)
        {
            LogUnreachable(attempt, e.InnerException is { } inner ? $"TLS: {e.Message} ({inner.Message})" : $"TLS: {e.Message}");
        }
        if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
        socket?.Dispose();
        Interlocked.CompareExchange(ref _socket, null, socket);
        return null;
    }

    /// <summary>Checks the acceptor's proof (it is the member we dialed and holds the secret) and computes ours.</summary>
    private bool TryAnswerChallenge(HandshakeRequest request, HandshakeResponse challenge, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? proof)
    {
        proof = null;
        if (_options.Secret is not { } secret || challenge.Nonce.Length != Handshake.NonceBytes) return false;
        byte[] expected = Handshake.AcceptorMac(secret, _options.GroupName, _peer.Id, _options.SelfId, request.Nonce, challenge.Nonce);
        if (!Handshake.MacsEqual(expected, challenge.Mac)) return false;
        proof = Handshake.DialerMac(secret, _options.GroupName, _options.SelfId, _peer.Id, request.Nonce, challenge.Nonce);
        return true;
    }

    private string ChallengeProblem(HandshakeResponse challenge) => _options.Secret is null
        ? $"peer {_peer.Id} requires peer authentication but dLegerPeerSecret is not set here"
        : $"peer {_peer.Id} failed to prove the group secret (dLegerPeerSecret differs, or another process answers at {_peer.Endpoint})";

    private bool IsUsable(HandshakeResponse response)
    {
        if (!response.Accepted)
        {
            if (_refusedLog.ShouldLog(out int suppressed))
                LogMessages.RefusedByPeer(_logger, _peer.Id, _peer.Endpoint, response.Reason, response.Group, response.CanonicalPeers,
                    _options.GroupName, _options.Peers.Canonical, suppressed);
            return false;
        }
        if (!string.Equals(response.ResponderId, _peer.Id, StringComparison.Ordinal))
        {
            if (_refusedLog.ShouldLog(out int suppressed))
                LogMessages.WrongPeerAnswered(_logger, _peer.Endpoint, _peer.Id, response.ResponderId, suppressed);
            return false;
        }
        return true;
    }

    private void LogUnreachable(int attempt, string reason)
    {
        if (_unreachableLog.ShouldLog(out int suppressed))
            LogMessages.PeerUnreachable(_logger, _peer.Id, _peer.Endpoint, attempt, suppressed, reason);
    }

    /// <summary>Runs the writer and the close watcher until either ends; returns why the connection ended.</summary>
    private async Task<string> RunConnectedAsync(Socket socket, Stream stream, CancellationToken stopping)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        await using var ownedStream = stream;
        var watcher = WatchForCloseAsync(stream, connection.Token);
        var writer = WriteLoopAsync(stream, connection.Token);
        var first = await Task.WhenAny(watcher, writer).ConfigureAwait(false);
        string reason = await first.ConfigureAwait(false);
        await connection.CancelAsync().ConfigureAwait(false);
        Interlocked.CompareExchange(ref _socket, null, socket);
        socket.Dispose();
        await Task.WhenAll(watcher, writer).ConfigureAwait(false);
        return reason;
    }

    /// <summary>Reads through the stream, not the socket: under TLS the acceptor legitimately sends records after the
    /// handshake (session tickets), which the TLS layer consumes.</summary>
    private async Task<string> WatchForCloseAsync(Stream stream, CancellationToken ct)
    {
        var probe = new byte[1];
        try
        {
            int received = await stream.ReadAsync(probe, ct).ConfigureAwait(false);
            if (received == 0) return "closed by the peer";
            LogMessages.UnexpectedOutboundData(_logger, _peer.Id, _peer.Endpoint);
            return "the peer sent data on a send-only connection";
        }
        catch (OperationCanceledException)
        {
            return "stopped";
        }
        catch (SocketException e)
        {
            return e.Message;
        }
        catch (IOException e)
        {
            return e.InnerException?.Message ?? e.Message;
        }
        catch (ObjectDisposedException)
        {
            return "closed";
        }
    }

    /// <summary>Drains the queue; everything readable at once is coalesced into as few writes as the buffer allows.
    /// A payload taken from the queue when the connection fails is lost, which Raft tolerates.</summary>
    private async Task<string> WriteLoopAsync(Stream stream, CancellationToken ct)
    {
        using var batch = new FrameBatchWriter(stream, _options.WriteBatchBytes);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (reader.TryRead(out var payload))
                {
                    Interlocked.Add(ref _queuedBytes, -payload.Length);
                    await batch.AppendAsync(payload, ct).ConfigureAwait(false);
                }
                await batch.FlushAsync(ct).ConfigureAwait(false);
            }
            return "transport stopped";
        }
        catch (OperationCanceledException)
        {
            return "stopped";
        }
        catch (IOException e)
        {
            return e.InnerException?.Message ?? e.Message;
        }
        catch (ObjectDisposedException)
        {
            return "closed";
        }
    }
}
