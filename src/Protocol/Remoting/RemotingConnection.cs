using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Remoting;

/// <summary>Settings a connection needs from its server or client options.</summary>
internal sealed record ConnectionSettings(
    int MaxFrameLength, int WriteQueueCapacity, int MaxWriteBatchBytes, Action<RemotingDiagnosticEvent>? Diagnostics)
{
    /// <summary>The server-wide budget for partially received frames; null on client connections.</summary>
    public PartialFrameBudget? PartialFrames { get; init; }

    /// <summary>Client side: a plaintext connection closed before it received anything fails its requests with a hint
    /// that the server may require TLS (an enforcing server closes plaintext connections without a word).</summary>
    public bool HintTlsOnSilentClose { get; init; }

    /// <summary>Rate limit of refusal diagnostics, shared by the connections of one server or client.</summary>
    public RefusalLogLimiter RefusalLog { get; init; } = new();
}

/// <summary>Receives what a connection reads and learns.</summary>
internal interface IConnectionOwner
{
    /// <summary>A request (not a response) arrived. Must not block: the read loop calls it.</summary>
    void OnRequest(RemotingConnection connection, RemotingCommand request);

    void OnClosed(RemotingConnection connection);
}

/// <summary>
/// One TCP connection speaking remoting frames, on either side. A read loop parses frames from a pooled buffer
/// and hands requests to the owner and responses to the pending invocation with the same opaque; a write loop
/// drains a bounded queue and coalesces every command that is ready into one socket write.
/// </summary>
public sealed partial class RemotingConnection
{
    private static long s_lastId;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly ConnectionSettings _settings;
    private readonly IConnectionOwner _owner;
    private readonly Channel<RemotingCommand> _outbound;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<RemotingCommand>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closeStarted;
    private long _lastActivity = Environment.TickCount64;
    private int _receivedAny;
    private long _partialFrameSince;
    private long _partialFrameBytes;
    private int _unansweredRequests;
    private int _writing;

    /// <param name="stream">What frames are read from and written to: a NetworkStream over <paramref name="socket"/>,
    /// or an SslStream over one (the connection disposes it).</param>
    internal RemotingConnection(Socket socket, Stream stream, ConnectionSettings settings, IConnectionOwner owner)
    {
        _socket = socket;
        _socket.NoDelay = true;
        TcpKeepAlive.Enable(_socket);
        _stream = stream;
        IsTls = stream is System.Net.Security.SslStream;
        _settings = settings;
        _owner = owner;
        _outbound = Channel.CreateBounded<RemotingCommand>(new BoundedChannelOptions(settings.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Id = Interlocked.Increment(ref s_lastId);
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        RemoteAddress = FormatAddress(RemoteEndPoint);
    }

    /// <summary>Seconds of idle time before TCP keepalive probes start; 0 when keepalive is off (tests).</summary>
    internal int KeepAliveIdleSeconds =>
        (int)_socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)! == 0
            ? 0
            : (int)_socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!;

    /// <summary>Process-unique id of this connection.</summary>
    public long Id { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>"ip:port" of the peer (IPv4-mapped addresses shown as IPv4).</summary>
    public string RemoteAddress { get; }

    public bool IsOpen => Volatile.Read(ref _closeStarted) == 0;

    /// <summary>True when the connection runs over TLS.</summary>
    public bool IsTls { get; }

    /// <summary>Completes when the connection has closed.</summary>
    public Task Completion => _closed.Task;

    internal void Start()
    {
        _ = Task.Run(ReadLoopAsync);
        _ = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues a command for writing; waits while the write queue is full.</summary>
    public async ValueTask SendAsync(RemotingCommand command, CancellationToken cancellationToken = default)
    {
        try
        {
            await _outbound.Writer.WriteAsync(command, cancellationToken).ConfigureAwait(false);
            if (command.IsResponse) Interlocked.Decrement(ref _unansweredRequests);
        }
        catch (ChannelClosedException ex)
        {
            throw new RemotingSendException(RemoteAddress, $"Connection to {RemoteAddress} is closed.", ex);
        }
    }

    /// <summary>Queues a command if the write queue has room; false when full or closed.</summary>
    public bool TrySend(RemotingCommand command)
    {
        if (!_outbound.Writer.TryWrite(command)) return false;
        if (command.IsResponse) Interlocked.Decrement(ref _unansweredRequests);
        return true;
    }

    /// <summary>
    /// Why the server should drop this connection at <paramref name="now"/> (Environment.TickCount64), or null: a
    /// frame started longer than <paramref name="frameReadTimeout"/> ago and still incomplete, or nothing read or
    /// written for <paramref name="idleTimeout"/>. Zero timeouts are off.
    /// </summary>
    internal string? ExpiryReason(long now, TimeSpan frameReadTimeout, TimeSpan idleTimeout)
    {
        long partialSince = Volatile.Read(ref _partialFrameSince);
        if (frameReadTimeout > TimeSpan.Zero && partialSince != 0 && now - partialSince > (long)frameReadTimeout.TotalMilliseconds)
        {
            return RefusalReason.FrameReadTimeout;
        }
        if (idleTimeout > TimeSpan.Zero && now - Volatile.Read(ref _lastActivity) > (long)idleTimeout.TotalMilliseconds)
        {
            return RefusalReason.IdleTimeout;
        }
        return null;
    }

    /// <summary>Closes the connection once; pending invocations fail with <see cref="RemotingSendException"/>.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0) return;
        _outbound.Writer.TryComplete();
        _closing.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer; disposing below is all that is left to do.
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
        _stream.Dispose();
        FailPending(reason);
        Report(RemotingDiagnosticKind.ConnectionClosed, reason);
        _owner.OnClosed(this);
        _closed.TrySetResult();
    }

    public override string ToString() => $"RemotingConnection#{Id}({RemoteAddress})";

    internal void Report(RemotingDiagnosticKind kind, string message, Exception? exception = null) =>
        _settings.Diagnostics?.Invoke(new RemotingDiagnosticEvent(kind, Id, RemoteAddress, message, exception));

    internal static string FormatAddress(IPEndPoint endPoint)
    {
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"[{address}]:{endPoint.Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{address}:{endPoint.Port}");
    }
}
