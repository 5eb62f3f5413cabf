using System.Net;
using System.Net.Sockets;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Protocol.Tests.Remoting;

public class LoopbackPortsTests
{
    [Fact]
    public void Ports_are_distinct_bindable_and_below_the_range_outgoing_connections_draw_from()
    {
        int ephemeralLow = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0]);

        var ports = LoopbackPorts.Allocate(20);

        Assert.Equal(20, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 20_000, ephemeralLow - 1));
        foreach (int port in ports)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port)); // released again by Allocate
        }
    }
}
