using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Remoting;

/// <summary>
/// The remoting TCP server shared by broker and name server. Accepts connections (TCP_NODELAY), parses frames
/// per connection, and dispatches each request code to its handler on the handler's processor group. Unknown codes
/// get REQUEST_CODE_NOT_SUPPORTED (3), a full group SYSTEM_BUSY (2), a malformed frame closes that connection only.
/// </summary>
public sealed partial class RemotingServer : IAsyncDisposable
{
    private readonly RemotingServerOptions _options;
    private readonly RequestDispatcher _dispatcher;
    private readonly ConcurrentDictionary<long, RemotingConnection> _connections = new();
    private readonly ConnectionSettings _settings;
    private readonly Owner _owner;
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private Timer? _expiryScan;
    private int _state; // 0 created, 1 started, 2 stopped

    public RemotingServer(RemotingServerOptions options)
    {
        options.Validate();
        _options = options;
        _dispatcher = new RequestDispatcher(options.Authorizer);
        _settings = new ConnectionSettings(
            options.MaxFrameLengthBytes, options.ConnectionWriteQueueCapacity, options.MaxWriteBatchBytes, options.Diagnostics)
        {
            PartialFrames = new PartialFrameBudget(options.MaxPartialFrameBytes),
        };
        _owner = new Owner(this);
        _dispatcher.AddGroup(options.DefaultGroup);
    }

    /// <summary>Raised on the accepting thread for every new connection.</summary>
    public event Action<RemotingConnection>? ConnectionOpened;

    /// <summary>Raised once per connection when it closes (peer gone, malformed frame, server stop).</summary>
    public event Action<RemotingConnection>? ConnectionClosed;

    /// <summary>The bound endpoint (with the real port when listening on port 0); valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint?)_listener?.LocalEndPoint ?? throw new InvalidOperationException("Server not started.");

    public int ConnectionCount => _connections.Count;

    /// <summary>Every request code a handler is registered for (the rest get REQUEST_CODE_NOT_SUPPORTED).</summary>
    public IReadOnlyCollection<int> RegisteredCodes => _dispatcher.Codes;

    /// <summary>Adds a processor group (own bounded queue and workers) for handlers registered with its name.</summary>
    public void AddProcessorGroup(ProcessorGroupOptions options) => _dispatcher.AddGroup(options);

    public void RegisterHandler(int code, IRemotingRequestHandler handler, string processorGroup) =>
        _dispatcher.Register(code, handler, processorGroup);

    /// <summary>Registers on the default processor group.</summary>
    public void RegisterHandler(int code, IRemotingRequestHandler handler) =>
        _dispatcher.Register(code, handler, _options.DefaultGroup.Name);

    /// <summary>
    /// Puts a layer in front of the handler registered for <paramref name="code"/> (same processor group), e.g. a
    /// broker's forwarding of leader-only requests; false when no handler is registered for the code.
    /// </summary>
    public bool WrapHandler(int code, Func<IRemotingRequestHandler, IRemotingRequestHandler> wrap) =>
        _dispatcher.Wrap(code, wrap);

    public bool TryGetConnection(long connectionId, out RemotingConnection connection) =>
        _connections.TryGetValue(connectionId, out connection!);

    /// <summary>Binds and starts accepting; completes once the socket listens.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("Server already started.");
        var listener = new Socket(_options.ListenEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(_options.ListenEndPoint);
            listener.Listen(_options.ListenBacklog);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        Report(RemotingDiagnosticKind.ListenerStarted, 0, null, $"listening on {LocalEndPoint}");
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        if (ExpiryScanPeriod() is { } period) _expiryScan = new Timer(_ => CloseExpiredConnections(), null, period, period);
        return Task.CompletedTask;
    }

    /// <summary>Stops accepting, closes every connection and waits for the processor workers.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) != 1) return;
        _listener?.Dispose();
        if (_expiryScan is not null) await _expiryScan.DisposeAsync().ConfigureAwait(false);
        await _acceptLoop.ConfigureAwait(false);
        await StopTlsAcceptsAsync().ConfigureAwait(false);
        foreach (var connection in _connections.Values) connection.Close("server stopping");
        await _dispatcher.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task AcceptLoopAsync()
    {
        while (Volatile.Read(ref _state) == 1)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                if (Volatile.Read(ref _state) != 1) return;
                Report(RemotingDiagnosticKind.AcceptFailed, 0, null, ex.Message, ex);
                continue;
            }
            if (_options.Tls is null) Accept(socket, new NetworkStream(socket, ownsSocket: false));
            else StartTlsAccept(socket, _options.Tls);
        }
    }

    private void Accept(Socket socket, Stream stream)
    {
        RemotingConnection connection;
        try
        {
            connection = new RemotingConnection(socket, stream, _settings, _owner);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            stream.Dispose();
            socket.Dispose();
            Report(RemotingDiagnosticKind.AcceptFailed, 0, null, ex.Message, ex);
            return;
        }
        _connections[connection.Id] = connection;
        connection.Report(RemotingDiagnosticKind.ConnectionAccepted, connection.IsTls ? "accepted (TLS)" : "accepted");
        RaiseSafely(ConnectionOpened, connection);
        connection.Start();
        if (Volatile.Read(ref _state) != 1) connection.Close("server stopping");
    }

    /// <summary>Bytes currently held in partially received frames, over all connections.</summary>
    public long PartialFrameBytes => _settings.PartialFrames!.HeldBytes;

    /// <summary>A quarter of the shortest timeout, between 50 ms and 1 s; null when both timeouts are off.</summary>
    private TimeSpan? ExpiryScanPeriod()
    {
        var timeouts = new[] { _options.FrameReadTimeout, _options.IdleTimeout }.Where(t => t > TimeSpan.Zero).ToArray();
        if (timeouts.Length == 0) return null;
        var quarter = timeouts.Min() / 4;
        return quarter < TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50)
            : quarter > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : quarter;
    }

    /// <summary>Closes slow senders (a frame not complete within FrameReadTimeout) and idle connections.</summary>
    private void CloseExpiredConnections()
    {
        long now = Environment.TickCount64;
        foreach (var connection in _connections.Values)
        {
            if (connection.ExpiryReason(now, _options.FrameReadTimeout, _options.IdleTimeout) is not { } reason) continue;
            RemotingRefusals.Count(reason);
            connection.Close(reason == RefusalReason.IdleTimeout
                ? $"idle for more than {_options.IdleTimeout.TotalSeconds:0.###} s"
                : $"a frame took longer than {_options.FrameReadTimeout.TotalSeconds:0.###} s to arrive");
        }
    }

    /// <summary>A subscriber's exception must not kill a read loop or the accept loop.</summary>
    private void RaiseSafely(Action<RemotingConnection>? handler, RemotingConnection connection)
    {
        try
        {
            handler?.Invoke(connection);
        }
        catch (Exception ex)
        {
            connection.Report(RemotingDiagnosticKind.HandlerFailed, "connection event subscriber failed: " + ex.Message, ex);
        }
    }

    private void Report(RemotingDiagnosticKind kind, long connectionId, string? address, string message, Exception? ex = null) =>
        _options.Diagnostics?.Invoke(new RemotingDiagnosticEvent(kind, connectionId, address, message, ex));

    private sealed class Owner(RemotingServer server) : IConnectionOwner
    {
        public void OnRequest(RemotingConnection connection, RemotingCommand request) =>
            server._dispatcher.Dispatch(connection, request);

        public void OnClosed(RemotingConnection connection)
        {
            server._connections.TryRemove(connection.Id, out _);
            server.RaiseSafely(server.ConnectionClosed, connection);
        }
    }
}
