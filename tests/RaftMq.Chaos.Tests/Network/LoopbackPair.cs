using System.Net;
using System.Net.Sockets;
using RaftMq.Chaos.Network;

namespace RaftMq.Chaos.Tests.Network;

/// <summary>A target server on loopback, a proxy in front of it, and a connected client/server socket pair through the proxy.</summary>
internal sealed class LoopbackPair : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>How long a negative check ("nothing arrived") watches; it cannot cause a false failure.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(300);

    private LoopbackPair(TcpListener target, FaultProxy proxy)
    {
        Target = target;
        Proxy = proxy;
    }

    public TcpListener Target { get; }

    public FaultProxy Proxy { get; }

    public static LoopbackPair Start()
    {
        var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        var proxy = FaultProxy.Start("n0->n1", 0, ((IPEndPoint)target.LocalEndpoint).Port);
        return new LoopbackPair(target, proxy);
    }

    public async Task<Socket> ConnectClientAsync()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Deadline);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Proxy.Port), timeout.Token);
        return client;
    }

    public async Task<Socket> AcceptServerAsync()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        return await Target.AcceptSocketAsync(timeout.Token);
    }

    public static async Task SendAsync(Socket socket, string text) =>
        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(text), SocketFlags.None);

    public static async Task<string> ReceiveExactlyAsync(Socket socket, int count)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var buffer = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                throw new IOException($"connection closed after {filled} of {count} bytes");
            }

            filled += read;
        }

        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Connects through the proxy and reports whether the connection was refused or dropped (connect or first read fails).</summary>
    public async Task<bool> ConnectionIsDroppedAsync()
    {
        Socket client;
        try
        {
            client = await ConnectClientAsync();
        }
        catch (SocketException)
        {
            return true;
        }

        using (client)
        {
            return await ClosesAsync(client);
        }
    }

    /// <summary>Waits until the socket reports end-of-stream or a reset; false if neither happens by the deadline.</summary>
    public static async Task<bool> ClosesAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True when nothing (no data, no close) becomes readable during the quiet period.</summary>
    public static bool StaysQuiet(Socket socket) =>
        !socket.Poll((int)QuietPeriod.TotalMicroseconds, SelectMode.SelectRead);

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        Target.Stop();
    }
}
