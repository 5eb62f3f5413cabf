using System.Net;
using System.Net.Sockets;
using RaftMq.Consensus.Configuration;

namespace RaftMq.Consensus.Transport;

internal static class SocketSetup
{
    public static IPEndPoint ListenEndpointFor(DLedgerPeer self)
    {
        if (IPAddress.TryParse(self.Host.Trim('[', ']'), out var address)) return new IPEndPoint(address, self.Port);
        if (string.Equals(self.Host, "localhost", StringComparison.OrdinalIgnoreCase)) return new IPEndPoint(IPAddress.Loopback, self.Port);
        return new IPEndPoint(IPAddress.Any, self.Port);
    }

    public static Socket Listen(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            AllowRebindDuringTimeWait(socket);
            socket.Bind(endpoint);
            socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects with TCP_NODELAY on: Raft messages are small and latency-bound.</summary>
    public static async Task<Socket> ConnectAsync(string host, int port, CancellationToken ct)
    {
        var address = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? literal : await ResolveAsync(host, ct).ConfigureAwait(false);
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), ct).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken ct)
    {
        var addresses = await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        return Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
    }

    /// <summary>
    /// A restarted node must re-bind its port at once although connections of its previous run may sit in
    /// TIME_WAIT. Plain SO_REUSEADDR allows exactly that on Linux and macOS while still refusing a second live
    /// listener; it is set raw because .NET's ReuseAddress option may also enable SO_REUSEPORT on Unix, which
    /// would let two nodes share a port silently. Windows permits the re-bind by default.
    /// </summary>
    private static void AllowRebindDuringTimeWait(Socket socket)
    {
        if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
            socket.SetRawSocketOption(0xFFFF /* SOL_SOCKET */, 0x4 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
    }
}
