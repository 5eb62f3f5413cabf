using RaftMq.Client.Instance;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Admin;

/// <summary>Broker runtime statistics (brokerStatus) and the Raft view of every member of a group (raftStatus).</summary>
public sealed partial class MQAdminClient
{
    /// <summary>GET_BROKER_RUNTIME_INFO of one broker node: RocketMQ's keys plus RaftMq's raft* keys.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetBrokerRuntimeInfoAsync(string brokerAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerAddress);
        var response = await Instance.InvokeCheckedAsync(brokerAddress, BrokerApi.Request(RequestCode.GetBrokerRuntimeInfo), cancellationToken)
            .ConfigureAwait(false);
        return ProtocolJson.Decode<KvTable>(response.Body.Span).Table;
    }

    /// <summary>Addresses of every node of every broker group of <paramref name="clusterName"/> the name servers list.</summary>
    public async Task<IReadOnlyList<string>> GetClusterBrokerAddressesAsync(string clusterName, CancellationToken cancellationToken = default)
    {
        var info = await ClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        if (!info.ClusterAddrTable.TryGetValue(clusterName, out var brokerNames) || brokerNames.Count == 0)
            throw new MQClientException($"Cluster {clusterName} is unknown to the name servers.");
        return [.. brokerNames.Order(StringComparer.Ordinal)
            .SelectMany(name => info.BrokerAddrTable.GetValueOrDefault(name)?.BrokerAddrs.OrderBy(a => a.Key).Select(a => a.Value) ?? [])];
    }

    /// <summary>
    /// Asks every node of broker group <paramref name="brokerName"/> the name servers list for its view of the Raft
    /// group (RaftMq code 9002). A node that does not answer is reported with its error, so a group without a leader
    /// can still be inspected.
    /// </summary>
    public async Task<IReadOnlyList<RaftNodeStatus>> GetRaftStatusAsync(string brokerName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerName);
        var info = await ClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        if (!info.BrokerAddrTable.TryGetValue(brokerName, out var broker) || broker.BrokerAddrs.Count == 0)
            throw new MQClientException($"Broker group {brokerName} is unknown to the name servers.");
        var nodes = new List<RaftNodeStatus>();
        foreach (var (id, address) in broker.BrokerAddrs.OrderBy(a => a.Key))
        {
            try
            {
                var response = await Instance.InvokeCheckedAsync(address, BrokerApi.Request(AdminRequestCodes.GetRaftStatus), cancellationToken)
                    .ConfigureAwait(false);
                nodes.Add(new RaftNodeStatus(address, id, ProtocolJson.Decode<RaftStatusBody>(response.Body.Span), null));
            }
            catch (Exception ex) when (ex is MQException or RemotingException or RemotingProtocolException)
            {
                nodes.Add(new RaftNodeStatus(address, id, null, ex.Message));
            }
        }
        return nodes;
    }
}

/// <summary>One node's answer to GET_RAFT_STATUS, or why it gave none.</summary>
/// <param name="Address">The node's client-facing address, as the name servers list it.</param>
/// <param name="BrokerId">The id the node is registered with (0 = master).</param>
/// <param name="Status">The node's answer, or null when it gave none.</param>
/// <param name="Error">Why the node did not answer.</param>
public sealed record RaftNodeStatus(string Address, long BrokerId, RaftStatusBody? Status, string? Error);
