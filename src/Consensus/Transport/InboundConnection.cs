using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace RaftMq.Consensus.Transport;

/// <summary>
/// One accepted connection: checks the dialer's handshake, answers it, then reads frames (receive-only) into the
/// transport's inbound channel in arrival order. Nothing is delivered from a refused connection, and a frame
/// failing its length or CRC check closes the connection without delivering that frame or anything after it.
/// </summary>
internal sealed class InboundConnection
{
    private readonly Socket _socket;
    private readonly PeerTransport _owner;
    private readonly PeerTransportOptions _options;
    private readonly ILogger _logger;
    private readonly ChannelWriter<InboundPayload> _inbound;
    private long _lastFrameTicks = Environment.TickCount64;

    public InboundConnection(Socket socket, PeerTransport owner, PeerTransportOptions options, ILogger logger, ChannelWriter<InboundPayload> inbound)
    {
        _socket = socket;
        _owner = owner;
        _options = options;
        _logger = logger;
        _inbound = inbound;
        Remote = DescribeRemote(socket);
    }

    public string Remote { get; }

    /// <summary>True while the connection delivered a frame (or was accepted) within <paramref name="window"/>.</summary>
    public bool IsActiveWithin(TimeSpan window) => Environment.TickCount64 - Volatile.Read(ref _lastFrameTicks) <= (long)window.TotalMilliseconds;

    /// <summary>The peer's id once its handshake was accepted.</summary>
    public string? PeerId { get; private set; }

    public void Abort() => _socket.Dispose();

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            _socket.NoDelay = true;
        }
        catch (ObjectDisposedException)
        {
            // Aborted by a stopping transport between accept and start: nothing to serve.
            return;
        }
        var opened = await TryOpenStreamAsync(stopping).ConfigureAwait(false);
        if (opened is null) return;
        await using var stream = opened;
        var request = await TryHandshakeAsync(stream, stopping).ConfigureAwait(false);
        if (request is null) return;

        LogMessages.InboundAccepted(_logger, PeerId!, Remote, PeerStreams.Describe(stream));
        string reason = await ReadFramesAsync(stream, request.SenderId, stopping).ConfigureAwait(false);
        _owner.UnregisterInbound(this);
        if (!stopping.IsCancellationRequested) LogMessages.InboundClosed(_logger, request.SenderId, Remote, reason);
    }

    /// <summary>The plaintext or TLS stream over the socket, or null (socket closed) after logging why not.</summary>
    private async Task<Stream?> TryOpenStreamAsync(CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            return await PeerStreams.AcceptAsync(_socket, _options.Tls, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is OperationCanceledException or PeerTlsRefusedException or AuthenticationException or IOException
            or SocketException or ObjectDisposedException)
        {
            PeerRefusals.Count(PeerRefusals.Tls);
            string reason = e is OperationCanceledException ? $"no TLS handshake within {_options.ConnectTimeout.TotalMilliseconds:0} ms"
                : e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            if (_owner.RefusalLogLimiter("tls@" + RemoteAddress()).ShouldLog(out int suppressed))
                LogMessages.TlsRefused(_logger, Remote, reason, suppressed);
        }
        _socket.Dispose();
        return null;
    }

    private async Task<HandshakeRequest?> TryHandshakeAsync(Stream stream, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.ConnectTimeout);
        HandshakeRequest? request = null;
        try
        {
            request = await Handshake.ReadRequestAsync(stream, timeout.Token).ConfigureAwait(false);
            if (Handshake.Evaluate(request, _options, _owner.AcceptsMember, _owner.Check, _owner.Followed?.Index ?? 0) is { } refusal)
            {
                await RefuseAsync(stream, request, PeerRefusals.Handshake, refusal.Category, refusal.Detail, timeout.Token).ConfigureAwait(false);
                return null;
            }
            if (_options.Secret is { } secret && !await AuthenticateAsync(stream, request, secret, timeout.Token).ConfigureAwait(false))
            {
                await RefuseAsync(stream, request, PeerRefusals.Authentication, "authentication failed",
                    "the dialer did not prove the group secret (dLegerPeerSecret differs or is missing)", timeout.Token).ConfigureAwait(false);
                return null;
            }
            PeerId = request.SenderId;
            if (!_owner.TryRegisterInbound(this))
            {
                PeerId = null;
                await RefuseAsync(stream, request, PeerRefusals.DuplicateMember, "member already connected",
                    "a live connection for this member id is already open; the new one is refused", timeout.Token).ConfigureAwait(false);
                return null;
            }
            await stream.WriteAsync(Handshake.Encode(Handshake.Accept(_options)), timeout.Token).ConfigureAwait(false);
            if (Handshake.DecodeConfiguration(request) is { } offered && request.ConfigurationIndex > (_owner.Followed?.Index ?? 0))
                _owner.OnConfigurationOffered(offered);
            return request;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            LogMessages.InvalidHandshake(_logger, Remote, $"no handshake within {_options.ConnectTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or SocketException or ObjectDisposedException)
        {
            PeerRefusals.Count(PeerRefusals.Handshake);
            if (_owner.RefusalLogLimiter("invalid@" + RemoteAddress()).ShouldLog(out _)) LogMessages.InvalidHandshake(_logger, Remote, e.Message);
        }
        if (PeerId is not null) _owner.UnregisterInbound(this);
        PeerId = null;
        return null;
    }

    /// <summary>Sends the challenge and checks the dialer's proof; true when the dialer holds the secret.</summary>
    private static async Task<bool> AuthenticateAsync(Stream stream, HandshakeRequest request, byte[] secret, PeerTransportOptions options,
        CancellationToken ct)
    {
        var challenge = Handshake.Challenge(options, request, secret, out byte[] acceptorNonce);
        await stream.WriteAsync(Handshake.Encode(challenge), ct).ConfigureAwait(false);
        byte[] proof = await Handshake.ReadProofAsync(stream, ct).ConfigureAwait(false);
        byte[] expected = Handshake.DialerMac(secret, options.GroupName, request.SenderId, options.SelfId, request.Nonce, acceptorNonce);
        return Handshake.MacsEqual(expected, proof);
    }

    private Task<bool> AuthenticateAsync(Stream stream, HandshakeRequest request, byte[] secret, CancellationToken ct) =>
        AuthenticateAsync(stream, request, secret, _options, ct);

    /// <summary>Tells the dialer only the category; our log gets the detail (rate-limited per claimed id and address).</summary>
    private async Task RefuseAsync(Stream stream, HandshakeRequest request, string metricReason, string category, string detail, CancellationToken ct)
    {
        PeerRefusals.Count(metricReason);
        var limiter = _owner.RefusalLogLimiter($"{Truncate(request.SenderId)}@{RemoteAddress()}");
        if (limiter.ShouldLog(out int suppressed))
        {
            LogMessages.RefusedPeer(_logger, Remote, Truncate(request.SenderId), Truncate(detail), Truncate(request.Group), Truncate(request.CanonicalPeers),
                _options.GroupName, _options.Peers.Canonical, suppressed);
        }
        await stream.WriteAsync(Handshake.Encode(Handshake.Refuse(_options, category)), ct).ConfigureAwait(false);
    }

    private static string Truncate(string text) => text.Length <= 256 ? text : string.Concat(text.AsSpan(0, 256), "...");

    private async Task<string> ReadFramesAsync(Stream stream, string peerId, CancellationToken stopping)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(stopping).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (true)
                {
                    var frame = FrameCodec.TryRead(ref buffer, _options.MaxFrameBytes);
                    if (frame.Status == FrameStatus.NeedMoreData) break;
                    if (frame.Status != FrameStatus.Frame) return LogBadFrame(frame, peerId);
                    Volatile.Write(ref _lastFrameTicks, Environment.TickCount64);
                    await _inbound.WriteAsync(new InboundPayload(peerId, frame.Payload!), stopping).ConfigureAwait(false);
                }
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty) LogMessages.FrameTruncated(_logger, peerId, Remote, buffer.Length);
                    return "closed by the peer";
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return "stopped";
        }
        catch (ChannelClosedException)
        {
            return "transport stopped";
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return e.InnerException?.Message ?? e.Message;
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private string RemoteAddress()
    {
        int portSeparator = Remote.LastIndexOf(':');
        return portSeparator > 0 ? Remote[..portSeparator] : Remote;
    }

    private static string DescribeRemote(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "unknown";
        }
        catch (SocketException)
        {
            return "unknown (already reset)";
        }
    }

    private string LogBadFrame(FrameReadResult frame, string peerId)
    {
        if (frame.Status == FrameStatus.InvalidLength)
        {
            LogMessages.FrameInvalidLength(_logger, peerId, Remote, frame.Length, _options.MaxFrameBytes);
            return $"frame length {frame.Length} outside 0..{_options.MaxFrameBytes}";
        }
        LogMessages.FrameCrcMismatch(_logger, frame.Length, peerId, Remote, frame.ActualCrc.ToString("X8", CultureInfo.InvariantCulture), frame.ExpectedCrc.ToString("X8", CultureInfo.InvariantCulture));
        return "frame checksum mismatch";
    }
}
