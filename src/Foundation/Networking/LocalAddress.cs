using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace RaftMq.Foundation.Networking;

/// <summary>This machine's address as RocketMQ picks it (broker's default brokerIP1, the client's and the message
/// id's host part).</summary>
public static class LocalAddress
{
    /// <summary>The first IPv4 address of an interface that is up and not loopback; 127.0.0.1 when there is none
    /// or the interface list cannot be read.</summary>
    public static IPAddress FirstNonLoopbackIPv4()
    {
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) continue;
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address)) return unicast.Address;
                }
            }
        }
        catch (NetworkInformationException)
        {
            // no interface list: loopback (ids stay unique through pid, time and counters)
        }
        return IPAddress.Loopback;
    }
}
