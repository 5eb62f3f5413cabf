using System.Globalization;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Processors;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Acl;

/// <summary>
/// ACL administration, RocketMQ codes 50-54: UPDATE_AND_CREATE_ACL_CONFIG, DELETE_ACL_CONFIG, GET_BROKER_CLUSTER_ACL_INFO
/// (the rules' version), UPDATE_GLOBAL_WHITE_ADDRS_CONFIG and GET_BROKER_CLUSTER_ACL_CONFIG. Changes go through the log
/// on the leader (a follower answers "not master"), so every node of the group gets them; the leader then writes them
/// to its plain_acl.yml. With ACL on, the authorizer lets only admin accounts send these codes.
/// </summary>
public sealed class AclAdminProcessor(BrokerAcl acl, IMessageStore store, ProcessorOptions options, ILogger logger) : IRemotingRequestHandler
{
    public static IReadOnlyList<int> Codes { get; } =
    [
        RequestCode.UpdateAndCreateAclConfig, RequestCode.DeleteAclConfig, RequestCode.GetBrokerClusterAclInfo,
        RequestCode.UpdateGlobalWhiteAddrsConfig, RequestCode.GetBrokerClusterAclConfig,
    ];

    public async ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        if (!acl.Enabled && request.Code is not (RequestCode.GetBrokerClusterAclInfo or RequestCode.GetBrokerClusterAclConfig))
        {
            return request.CreateResponse(FailureCode(request.Code), "ACL is not enabled on this broker (aclEnable=false in broker.conf)");
        }
        return request.Code switch
        {
            RequestCode.UpdateAndCreateAclConfig => await UpdateAccountAsync(context, request, cancellationToken).ConfigureAwait(false),
            RequestCode.DeleteAclConfig => await DeleteAccountAsync(context, request, cancellationToken).ConfigureAwait(false),
            RequestCode.UpdateGlobalWhiteAddrsConfig => await UpdateGlobalWhiteAsync(context, request, cancellationToken).ConfigureAwait(false),
            RequestCode.GetBrokerClusterAclInfo => Version(request),
            RequestCode.GetBrokerClusterAclConfig => Config(request),
            _ => request.CreateResponse(ResponseCode.RequestCodeNotSupported, $" request type {request.Code} not supported"),
        };
    }

    private Task<RemotingCommand> UpdateAccountAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var fields = request.ExtFields;
        string accessKey = HeaderFields.RequiredString(fields, "accessKey");
        var given = AccountFieldsGiven.None;
        if (fields.ContainsKey("whiteRemoteAddress")) given |= AccountFieldsGiven.WhiteRemoteAddress;
        if (fields.ContainsKey("topicPerms")) given |= AccountFieldsGiven.TopicPerms;
        if (fields.ContainsKey("groupPerms")) given |= AccountFieldsGiven.GroupPerms;
        var account = new PlainAccessAccount
        {
            AccessKey = accessKey,
            SecretKey = HeaderFields.OptionalString(fields, "secretKey") ?? "",
            WhiteRemoteAddress = HeaderFields.OptionalString(fields, "whiteRemoteAddress"),
            Admin = HeaderFields.OptionalBoolean(fields, "admin") ?? false,
            DefaultTopicPerm = HeaderFields.OptionalString(fields, "defaultTopicPerm"),
            DefaultGroupPerm = HeaderFields.OptionalString(fields, "defaultGroupPerm"),
            TopicPerms = SplitList(HeaderFields.OptionalString(fields, "topicPerms")),
            GroupPerms = SplitList(HeaderFields.OptionalString(fields, "groupPerms")),
        };
        if (account.SecretKey.Length < PlainAclConfig.MinKeyLength)
        {
            return Task.FromResult(request.CreateResponse(ResponseCode.UpdateAndCreateAclConfigFailed,
                $"The accessKey={accessKey} and secretKey cannot be null and length should longer than 6"));
        }
        return ChangeAsync(context, request, $"update account {accessKey}", current => current.WithAccount(account, given), cancellationToken);
    }

    private Task<RemotingCommand> DeleteAccountAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        string accessKey = HeaderFields.RequiredString(request.ExtFields, "accessKey");
        return ChangeAsync(context, request, $"delete account {accessKey}", current => current.WithoutAccount(accessKey)
            ?? throw new AclConfigException($"The accesskey[{accessKey}] corresponding to accessConfig has been deleted failed: no such account"),
            cancellationToken);
    }

    private Task<RemotingCommand> UpdateGlobalWhiteAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var addresses = SplitList(HeaderFields.RequiredString(request.ExtFields, "globalWhiteAddrs"));
        return ChangeAsync(context, request, $"set globalWhiteRemoteAddresses to [{string.Join(", ", addresses)}]",
            current => current with { GlobalWhiteRemoteAddresses = addresses }, cancellationToken);
    }

    private async Task<RemotingCommand> ChangeAsync(RemotingContext context, RemotingCommand request, string action,
        Func<PlainAclConfig, PlainAclConfig> change, CancellationToken cancellationToken)
    {
        var (status, problem) = await acl.ChangeAsync(change, cancellationToken).ConfigureAwait(false);
        LogMessages.AdminChange(logger, context.RemoteAddress, action, problem ?? status.ToString());
        if (problem is not null) return request.CreateResponse(FailureCode(request.Code), problem);
        return status == StoreStatus.Ok
            ? request.CreateResponse(ResponseCode.Success)
            : Responses.FromStoreStatus(request, status, options.BrokerName, store.LeaderId, action);
    }

    private RemotingCommand Version(RemotingCommand request)
    {
        var response = request.CreateResponse(ResponseCode.Success);
        string version = ProtocolJson.EncodeToString(new DataVersion { Counter = store.AclVersion, Timestamp = 0 });
        response.ExtFields.Set("version", version);
        response.ExtFields.Set("allAclFileVersion", string.Create(CultureInfo.InvariantCulture, $"{{\"plain_acl.yml\":{version}}}"));
        response.ExtFields.Set("brokerName", options.BrokerName);
        response.ExtFields.Set("brokerAddr", options.StoreHost.ToString());
        response.ExtFields.Set("clusterName", options.ClusterName);
        return response;
    }

    private RemotingCommand Config(RemotingCommand request)
    {
        var config = store.AclConfig ?? new PlainAclConfig();
        var response = request.CreateResponse(ResponseCode.Success);
        response.Body = new AclConfigBody(config.GlobalWhiteRemoteAddresses, config.Accounts).ToJson();
        return response;
    }

    private static int FailureCode(int requestCode) => requestCode switch
    {
        RequestCode.DeleteAclConfig => ResponseCode.DeleteAclConfigFailed,
        RequestCode.UpdateGlobalWhiteAddrsConfig => ResponseCode.UpdateGlobalWhiteAddrsConfigFailed,
        RequestCode.UpdateAndCreateAclConfig => ResponseCode.UpdateAndCreateAclConfigFailed,
        _ => ResponseCode.SystemError,
    };

    /// <summary>RocketMQ's UtilAll.split: comma separated, blanks dropped.</summary>
    private static List<string> SplitList(string? text) =>
        text is null ? [] : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
