using System.Net;
using System.Net.Sockets;

namespace RaftMq.Chaos.Cluster;

/// <summary>Hands out TCP ports for a cluster layout.</summary>
public interface IPortAllocator
{
    IReadOnlyList<int> Allocate(int count);
}

/// <summary>
/// Free loopback ports, found by binding port 0. All sockets of one call stay bound until every port is
/// picked, so one call never returns a port twice. Another process may still take a port between this call
/// and the moment the node binds it; a run that hits that fails at startup, loudly.
/// </summary>
public sealed class LoopbackPortAllocator : IPortAllocator
{
    public IReadOnlyList<int> Allocate(int count)
    {
        var sockets = new List<Socket>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            return [.. sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port)];
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }
}
