using System.Net.Sockets;

namespace RaftMq.Protocol.Remoting;

/// <summary>
/// TCP keepalive on every remoting connection, both ends. A peer whose machine or network vanished sends no FIN or RST;
/// without probes its connection (and whatever waits on it, such as a parked pull) would stay open for good. With
/// 30 s of idle time and then 3 probes 10 s apart, such a connection is closed after about a minute.
/// </summary>
internal static class TcpKeepAlive
{
    public const int IdleSeconds = 30;
    public const int IntervalSeconds = 10;
    public const int Probes = 3;

    public static void Enable(Socket socket)
    {
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, IdleSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, IntervalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, Probes);
        }
        catch (Exception e) when (e is SocketException or PlatformNotSupportedException)
        {
            // Best effort: a platform without per-socket keepalive settings keeps its defaults.
        }
    }
}
