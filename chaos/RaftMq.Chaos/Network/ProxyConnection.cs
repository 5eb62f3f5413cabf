using System.Net;
using System.Net.Sockets;

namespace RaftMq.Chaos.Network;

/// <summary>
/// One accepted connection and its upstream twin. Each direction is pumped separately and checks the gate
/// both before reading and before writing, so a byte read just as the gate closed is held, not forwarded.
/// </summary>
internal sealed class ProxyConnection(Socket client, FlowGate gate, CancellationToken proxyStopping)
{
    private const int BufferSize = 64 * 1024;

    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(proxyStopping);
    private Socket? _upstream;
    private int _closed;

    public async Task RunAsync(EndPoint target)
    {
        var token = _cancel.Token;
        try
        {
            await gate.WaitOpenAsync(token).ConfigureAwait(false);
            var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            _upstream = upstream;
            await upstream.ConnectAsync(target, token).ConfigureAwait(false);
            await Task.WhenAll(PumpAsync(client, upstream, token), PumpAsync(upstream, client, token)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the target is down, the peer reset, or the proxy aborted us: the connection simply ends
        }
        finally
        {
            Abort();
            _upstream?.Dispose(); // created after a concurrent Abort had already run
        }
    }

    /// <summary>Resets both sockets (RST, not FIN): the peer sees the connection drop, as on a crash.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _cancel.Cancel();
        foreach (var socket in new[] { client, _upstream })
        {
            if (socket is null)
            {
                continue;
            }

            try
            {
                socket.LingerState = new LingerOption(enable: true, seconds: 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // already closed
            }

            socket.Dispose();
        }

        _cancel.Dispose();
    }

    private async Task PumpAsync(Socket from, Socket to, CancellationToken token)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                await gate.WaitOpenAsync(token).ConfigureAwait(false);
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await gate.WaitOpenAsync(token).ConfigureAwait(false);
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // one side broke: take the whole connection down so the other side notices too
            Abort();
        }
    }
}
