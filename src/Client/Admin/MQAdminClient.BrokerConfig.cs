using System.Text;
using RaftMq.Client.Instance;
using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Admin;

/// <summary>A broker node's settings (getBrokerConfig, updateBrokerConfig).</summary>
public sealed partial class MQAdminClient
{
    /// <summary>GET_BROKER_CONFIG (26): the node's settings in force as key/value pairs, sorted by key.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> GetBrokerConfigAsync(string brokerAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerAddress);
        var response = await Instance.InvokeCheckedAsync(brokerAddress, BrokerApi.Request(RequestCode.GetBrokerConfig), cancellationToken).ConfigureAwait(false);
        return ParseProperties(Encoding.UTF8.GetString(response.Body.Span));
    }

    /// <summary>UPDATE_BROKER_CONFIG (25) on one node: changes a run-time setting of that node until it restarts. A key that
    /// cannot change at run time is refused (<see cref="MQBrokerException"/> with the broker's reason).</summary>
    public async Task UpdateBrokerConfigAsync(string brokerAddress, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerAddress);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key.Contains('=', StringComparison.Ordinal) || key.Contains('\n', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
        {
            throw new MQClientException($"Key '{key}' or its value contains '=' or a line break.");
        }
        var request = BrokerApi.Request(RequestCode.UpdateBrokerConfig);
        request.Body = Encoding.UTF8.GetBytes($"{key}={value}\n");
        await Instance.InvokeCheckedAsync(brokerAddress, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every node of the cluster (masters and followers) the name servers know, by group then broker id.</summary>
    public async Task<IReadOnlyList<BrokerNodeInfo>> GetClusterNodesAsync(string clusterName, CancellationToken cancellationToken = default)
    {
        var info = await ClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        if (!info.ClusterAddrTable.TryGetValue(clusterName, out var brokerNames) || brokerNames.Count == 0)
        {
            throw new MQClientException($"Cluster {clusterName} is unknown to the name servers.");
        }
        var nodes = new List<BrokerNodeInfo>();
        foreach (string brokerName in brokerNames.Order(StringComparer.Ordinal))
        {
            if (info.BrokerAddrTable.GetValueOrDefault(brokerName) is not { } broker) continue;
            foreach (var (id, address) in broker.BrokerAddrs.OrderBy(entry => entry.Key))
            {
                nodes.Add(new BrokerNodeInfo { ClusterName = clusterName, BrokerName = brokerName, BrokerId = id, Address = address });
            }
        }
        return nodes;
    }
}
