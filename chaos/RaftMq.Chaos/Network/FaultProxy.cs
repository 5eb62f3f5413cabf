using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RaftMq.Chaos.Network;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of one node's Raft port, for one directed pair of nodes. Faults are
/// set with <see cref="SetMode"/>; no root, iptables or tc needed.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly FlowGate _gate = new();
    private readonly ConcurrentDictionary<ProxyConnection, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly Task _acceptLoop;
    private volatile ProxyMode _mode = ProxyMode.Pass;

    private FaultProxy(string name, Socket listener, IPEndPoint target, ILogger logger)
    {
        Name = name;
        _listener = listener;
        _target = target;
        _logger = logger;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Label such as <c>n0-&gt;n1</c>.</summary>
    public string Name { get; }

    public int Port { get; }

    public int TargetPort => _target.Port;

    public ProxyMode Mode => _mode;

    public int OpenConnections => _connections.Count;

    /// <summary>Listens on 127.0.0.1:<paramref name="listenPort"/> (0 = any free port), forwarding to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static FaultProxy Start(string name, int listenPort, int targetPort, ILogger? logger = null)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, listenPort));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new FaultProxy(name, listener, new IPEndPoint(IPAddress.Loopback, targetPort), logger ?? NullLogger.Instance);
    }

    public void SetMode(ProxyMode mode)
    {
        var previous = _mode;
        _mode = mode;
        if (mode == ProxyMode.Pass)
        {
            _gate.Open();
        }
        else
        {
            _gate.Close();
        }

        if (mode == ProxyMode.Refuse)
        {
            foreach (var connection in _connections.Keys)
            {
                connection.Abort();
            }
        }

        if (previous != mode)
        {
            NetworkLog.ProxyModeChanged(_logger, Name, previous, mode);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }

        await Task.WhenAll(_connections.Values.Append(_acceptLoop)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            accepted.NoDelay = true;
            var connection = new ProxyConnection(accepted, _gate, token);
            if (_mode == ProxyMode.Refuse)
            {
                connection.Abort();
                continue;
            }

            var run = Task.Run(() => connection.RunAsync(_target), CancellationToken.None);
            _connections[connection] = run;
            _ = run.ContinueWith(_ => _connections.TryRemove(connection, out Task? _), TaskScheduler.Default);
        }
    }
}
