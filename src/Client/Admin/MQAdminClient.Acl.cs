using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Client.Instance;

namespace RaftMq.Client.Admin;

/// <summary>An account change for UPDATE_AND_CREATE_ACL_CONFIG: null fields are not sent (the broker keeps their value).</summary>
public sealed record AclAccountUpdate(string AccessKey, string SecretKey)
{
    /// <summary>Addresses that may use the account unsigned ("" clears; null keeps).</summary>
    public string? WhiteRemoteAddress { get; init; }

    /// <summary>Admin accounts may send the admin request codes.</summary>
    public bool Admin { get; init; }

    /// <summary>PUB, SUB, PUB|SUB or DENY for topics not listed.</summary>
    public string? DefaultTopicPerm { get; init; }

    /// <summary>PUB, SUB, PUB|SUB or DENY for groups not listed.</summary>
    public string? DefaultGroupPerm { get; init; }

    /// <summary>"topicA=PUB,topicB=SUB|PUB" (comma separated, as mqadmin).</summary>
    public string? TopicPerms { get; init; }
    /// <summary>"groupA=SUB,groupB=DENY".</summary>
    public string? GroupPerms { get; init; }
}

public sealed partial class MQAdminClient
{
    /// <summary>Adds or updates an ACL account on the master of every group of the cluster (replicated by each group's log).</summary>
    public Task<IReadOnlyList<string>> UpdateAclAccountAsync(string clusterName, AclAccountUpdate account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return OnEveryMasterAsync(clusterName, () =>
        {
            var request = BrokerApi.Request(RequestCode.UpdateAndCreateAclConfig);
            var fields = request.ExtFields;
            fields.Set("accessKey", account.AccessKey);
            fields.Set("secretKey", account.SecretKey);
            HeaderFields.Put(fields, "admin", account.Admin);
            HeaderFields.PutIfNotNull(fields, "whiteRemoteAddress", account.WhiteRemoteAddress);
            HeaderFields.PutIfNotNull(fields, "defaultTopicPerm", account.DefaultTopicPerm);
            HeaderFields.PutIfNotNull(fields, "defaultGroupPerm", account.DefaultGroupPerm);
            HeaderFields.PutIfNotNull(fields, "topicPerms", account.TopicPerms);
            HeaderFields.PutIfNotNull(fields, "groupPerms", account.GroupPerms);
            return request;
        }, cancellationToken);
    }

    /// <summary>Deletes an ACL account on every group of the cluster.</summary>
    public Task<IReadOnlyList<string>> DeleteAclAccountAsync(string clusterName, string accessKey, CancellationToken cancellationToken = default) =>
        OnEveryMasterAsync(clusterName, () =>
        {
            var request = BrokerApi.Request(RequestCode.DeleteAclConfig);
            request.ExtFields.Set("accessKey", accessKey);
            return request;
        }, cancellationToken);

    /// <summary>Replaces globalWhiteRemoteAddresses on every group of the cluster.</summary>
    public Task<IReadOnlyList<string>> UpdateGlobalWhiteAddressesAsync(string clusterName, IReadOnlyList<string> addresses,
        CancellationToken cancellationToken = default) =>
        OnEveryMasterAsync(clusterName, () =>
        {
            var request = BrokerApi.Request(RequestCode.UpdateGlobalWhiteAddrsConfig);
            request.ExtFields.Set("globalWhiteAddrs", string.Join(",", addresses));
            request.ExtFields.Set("aclFileFullPath", "");
            return request;
        }, cancellationToken);

    /// <summary>The ACL rules in force on each group's master (GET_BROKER_CLUSTER_ACL_CONFIG), by group name.</summary>
    public async Task<IReadOnlyDictionary<string, AclConfigBody>> GetAclConfigAsync(string clusterName, CancellationToken cancellationToken = default)
    {
        var result = new SortedDictionary<string, AclConfigBody>(StringComparer.Ordinal);
        foreach (var (brokerName, address) in await ClusterMastersAsync(clusterName, cancellationToken).ConfigureAwait(false))
        {
            var response = await Instance.InvokeCheckedAsync(address, BrokerApi.Request(RequestCode.GetBrokerClusterAclConfig), cancellationToken)
                .ConfigureAwait(false);
            result[brokerName] = AclConfigBody.FromJson(response.Body.Span);
        }
        return result;
    }

    private async Task<IReadOnlyList<string>> OnEveryMasterAsync(string clusterName, Func<Protocol.Frames.RemotingCommand> createRequest,
        CancellationToken cancellationToken)
    {
        var masters = await ClusterMastersAsync(clusterName, cancellationToken).ConfigureAwait(false);
        foreach (string address in masters.Values)
        {
            await Instance.InvokeCheckedAsync(address, createRequest(), cancellationToken).ConfigureAwait(false);
        }
        return [.. masters.Keys];
    }
}
