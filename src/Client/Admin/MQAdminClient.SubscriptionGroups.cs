using RaftMq.Client.Instance;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Admin;

/// <summary>Consumer groups' subscription settings (updateSubGroup, deleteSubGroup).</summary>
public sealed partial class MQAdminClient
{
    /// <summary>Addresses of the master of every broker group of <paramref name="clusterName"/>, by group name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetClusterMasterAddressesAsync(string clusterName, CancellationToken cancellationToken = default) =>
        await ClusterMastersAsync(clusterName, cancellationToken).ConfigureAwait(false);

    /// <summary>UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200) on one broker (its group's master): the settings go through the
    /// group's log, so every replica applies them.</summary>
    public async Task CreateOrUpdateSubscriptionGroupAsync(string brokerAddress, SubscriptionGroupConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerAddress);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Problem() is { } problem) throw new MQClientException($"Subscription group settings refused: {problem}.");
        var request = BrokerApi.Request(RequestCode.UpdateAndCreateSubscriptionGroup);
        request.Body = ProtocolJson.Encode(config);
        await Instance.InvokeCheckedAsync(brokerAddress, request, cancellationToken).ConfigureAwait(false);
        _logger.SubscriptionGroupUpdated(config.GroupName, brokerAddress);
    }

    /// <summary>GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201): every group with settings of its own, as the node applied them.</summary>
    public async Task<SubscriptionGroupWrapper> GetAllSubscriptionGroupsAsync(string brokerAddress, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerAddress);
        var response = await Instance.InvokeCheckedAsync(brokerAddress, BrokerApi.Request(RequestCode.GetAllSubscriptionGroupConfig), cancellationToken)
            .ConfigureAwait(false);
        return ProtocolJson.Decode<SubscriptionGroupWrapper>(response.Body.Span);
    }

    /// <summary>DELETE_SUBSCRIPTIONGROUP (207) on one broker (its group's master); the group falls back to the defaults.</summary>
    public async Task DeleteSubscriptionGroupAsync(string brokerAddress, string groupName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerAddress);
        ArgumentException.ThrowIfNullOrEmpty(groupName);
        var request = BrokerApi.Request(RequestCode.DeleteSubscriptionGroup);
        request.ExtFields.Set("groupName", groupName);
        await Instance.InvokeCheckedAsync(brokerAddress, request, cancellationToken).ConfigureAwait(false);
        _logger.SubscriptionGroupDeleted(groupName, brokerAddress);
    }
}
