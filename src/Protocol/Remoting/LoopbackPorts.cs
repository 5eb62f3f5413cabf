using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RaftMq.Protocol.Remoting;

/// <summary>
/// Free TCP ports on 127.0.0.1 for local clusters (tests, chaos, benchmarks). They are chosen at random below the
/// kernel's ephemeral range (Linux <c>ip_local_port_range</c>, default 32768-60999). The kernel gives ports in that range
/// to outgoing connections, and on a busy machine one could take a port between the moment it was found free and the
/// moment the node binds it. Below the range, only another process binding the very same port explicitly can collide.
/// Every port is bound until all are chosen, so one call never returns a port twice.
/// </summary>
public static class LoopbackPorts
{
    private const int LowestPort = 20_000;
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";

    public static IReadOnlyList<int> Allocate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var (low, high) = ChoosableRange();
        var sockets = new List<Socket>(count);
        var ports = new List<int>(count);
        try
        {
            for (int attempt = 0; ports.Count < count; attempt++)
            {
                if (attempt >= 1000) throw new InvalidOperationException($"found only {ports.Count} of {count} free loopback ports in {low}-{high}");
                int port = low == 0 ? 0 : Random.Shared.Next(low, high + 1);
                if (port != 0 && ports.Contains(port)) continue;
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }
                catch (SocketException)
                {
                    socket.Dispose();
                    continue; // taken: try another
                }
                sockets.Add(socket);
                ports.Add(((IPEndPoint)socket.LocalEndPoint!).Port);
            }
            return ports;
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }
    }

    /// <summary>[LowestPort, start of the ephemeral range); (0, 0) to let the kernel choose when that is too narrow.</summary>
    private static (int Low, int High) ChoosableRange()
    {
        int ephemeralLow = 32_768;
        try
        {
            string[] range = File.ReadAllText(EphemeralRangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (range.Length > 0 && int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int parsed)) ephemeralLow = parsed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux: keep the IANA default.
        }
        int high = Math.Min(ephemeralLow - 1, IPEndPoint.MaxPort);
        return high - LowestPort >= 1_000 ? (LowestPort, high) : (0, 0);
    }
}
