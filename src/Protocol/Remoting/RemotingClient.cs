using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Remoting;

/// <summary>
/// Remoting client: one cached connection per "host:port", request/response correlated by opaque (responses may
/// come out of order), oneway sends, and handlers for requests the server initiates (CHECK_TRANSACTION_STATE,
/// NOTIFY_CONSUMER_IDS_CHANGED).
/// </summary>
public sealed class RemotingClient : IAsyncDisposable
{
    private readonly RemotingClientOptions _options;
    private readonly ConnectionSettings _settings;
    private readonly RequestDispatcher _dispatcher = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<RemotingConnection>>> _connections = new(StringComparer.Ordinal);
    private readonly Owner _owner;
    private int _disposed;

    public RemotingClient(RemotingClientOptions? options = null)
    {
        _options = options ?? new RemotingClientOptions();
        _options.Validate();
        _settings = new ConnectionSettings(
            _options.MaxFrameLengthBytes, _options.ConnectionWriteQueueCapacity, _options.MaxWriteBatchBytes, _options.Diagnostics)
        {
            HintTlsOnSilentClose = true,
        };
        _dispatcher.AddGroup(_options.RequestHandlerGroup);
        _owner = new Owner(this);
    }

    /// <summary>Raised once per connection when it closes.</summary>
    public event Action<RemotingConnection>? ConnectionClosed;

    /// <summary>Handles requests the server sends on our connections; unregistered codes are answered with code 3.</summary>
    public void RegisterHandler(int code, IRemotingRequestHandler handler) =>
        _dispatcher.Register(code, handler, _options.RequestHandlerGroup.Name);

    /// <summary>
    /// Sends a request and awaits its response. <paramref name="timeout"/> covers connecting and waiting.
    /// Throws <see cref="RemotingConnectException"/>, <see cref="RemotingTimeoutException"/> (outcome unknown, the
    /// connection stays up) or <see cref="RemotingSendException"/> (connection lost, outcome unknown).
    /// </summary>
    public async Task<RemotingCommand> InvokeAsync(
        string address, RemotingCommand request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long started = Environment.TickCount64;
        _options.RequestSigner?.Invoke(request);
        var connection = await GetConnectionAsync(address, cancellationToken).ConfigureAwait(false);
        var remaining = timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
        if (remaining <= TimeSpan.Zero)
        {
            throw new RemotingTimeoutException(address, $"Connecting to {address} used up the {timeout.TotalMilliseconds:0} ms timeout.");
        }
        return await connection.InvokeAsync(request, remaining, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request with the oneway flag; completes once it is queued for writing.</summary>
    public async Task InvokeOnewayAsync(string address, RemotingCommand request, CancellationToken cancellationToken = default)
    {
        _options.RequestSigner?.Invoke(request);
        var connection = await GetConnectionAsync(address, cancellationToken).ConfigureAwait(false);
        await connection.InvokeOnewayAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cached open connection to <paramref name="address"/>, connecting if needed.</summary>
    public async Task<RemotingConnection> GetConnectionAsync(string address, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        while (true)
        {
            var entry = _connections.GetOrAdd(address, key => new Lazy<Task<RemotingConnection>>(() => ConnectAsync(key)));
            RemotingConnection connection;
            try
            {
                connection = await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RemotingConnectException)
            {
                _connections.TryRemove(new KeyValuePair<string, Lazy<Task<RemotingConnection>>>(address, entry));
                throw;
            }
            if (connection.IsOpen) return connection;
            _connections.TryRemove(new KeyValuePair<string, Lazy<Task<RemotingConnection>>>(address, entry));
        }
    }

    /// <summary>Closes the cached connection to <paramref name="address"/>, if any (e.g. after repeated timeouts).</summary>
    public void CloseConnection(string address)
    {
        if (!_connections.TryRemove(address, out var entry) || !entry.IsValueCreated) return;
        // A connection still being established is closed as soon as it exists, so it cannot linger unowned.
        entry.Value.ContinueWith(
            static connecting => connecting.Result.Close("closed by client"),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var address in _connections.Keys) CloseConnection(address);
        await _dispatcher.StopAsync().ConfigureAwait(false);
    }

    private async Task<RemotingConnection> ConnectAsync(string address)
    {
        var (host, port) = ParseAddress(address);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            string why = ex is OperationCanceledException ? $"timed out after {_options.ConnectTimeout.TotalMilliseconds:0} ms" : ex.Message;
            Report(RemotingDiagnosticKind.ConnectFailed, address, $"connect to {address} failed: {why}", ex);
            throw new RemotingConnectException(address, $"Cannot connect to {address}: {why}", ex);
        }
        var stream = await OpenStreamAsync(socket, address, host, timeout.Token).ConfigureAwait(false);
        var connection = new RemotingConnection(socket, stream, _settings, _owner);
        connection.Report(RemotingDiagnosticKind.ConnectionEstablished, connection.IsTls ? $"connected to {address} (TLS)" : $"connected to {address}");
        connection.Start();
        return connection;
    }

    /// <summary>The socket's stream, secured first when TLS is on; a failed handshake is a connect failure naming TLS.</summary>
    private async Task<Stream> OpenStreamAsync(Socket socket, string address, string host, CancellationToken timeout)
    {
        var network = new NetworkStream(socket, ownsSocket: false);
        if (_options.Tls is not { } tls) return network;
        var ssl = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(tls.For(host), timeout).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            string why = ex is OperationCanceledException ? $"no TLS handshake within {_options.ConnectTimeout.TotalMilliseconds:0} ms"
                : $"TLS handshake failed: {ex.Message}{(ex.InnerException is { } inner ? $" ({inner.Message})" : "")}"
                  + " (is TLS on at the server? does --tls-ca-file hold the authority that signed its certificate?)";
            Report(RemotingDiagnosticKind.ConnectFailed, address, $"connect to {address} failed: {why}", ex);
            throw new RemotingConnectException(address, $"Cannot connect to {address}: {why}", ex);
        }
    }

    /// <summary>Splits "host:port" or "[v6]:port".</summary>
    internal static (string Host, int Port) ParseAddress(string address)
    {
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > IPEndPoint.MaxPort)
        {
            throw new RemotingConnectException(address, $"\"{address}\" is not a host:port address.");
        }
        string host = address[..colon];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        return (host, port);
    }

    private void Report(RemotingDiagnosticKind kind, string address, string message, Exception? ex = null) =>
        _options.Diagnostics?.Invoke(new RemotingDiagnosticEvent(kind, 0, address, message, ex));

    private sealed class Owner(RemotingClient client) : IConnectionOwner
    {
        public void OnRequest(RemotingConnection connection, RemotingCommand request) =>
            client._dispatcher.Dispatch(connection, request);

        public void OnClosed(RemotingConnection connection)
        {
            foreach (var entry in client._connections)
            {
                if (entry.Value.IsValueCreated && entry.Value.Value.IsCompletedSuccessfully && entry.Value.Value.Result == connection)
                {
                    client._connections.TryRemove(entry);
                }
            }
            try
            {
                client.ConnectionClosed?.Invoke(connection);
            }
            catch (Exception ex)
            {
                connection.Report(RemotingDiagnosticKind.HandlerFailed, "connection event subscriber failed: " + ex.Message, ex);
            }
        }
    }
}
