using RaftMq.Client.Instance;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Admin;

/// <summary>Permissions of topics (updateTopicPerm) and of whole broker groups on the name servers (wipeWritePerm, addWritePerm).</summary>
public sealed partial class MQAdminClient
{
    /// <summary>
    /// Changes the topic's perm on one master: reads the broker's own topic config (GET_ALL_TOPIC_CONFIG 21, so queue counts,
    /// order and sysflag stay as they are) and writes it back with <paramref name="perm"/> (UPDATE_AND_CREATE_TOPIC 17,
    /// through the group's log). Returns the perm it had; equal to <paramref name="perm"/> when nothing was sent.
    /// </summary>
    public async Task<int> UpdateTopicPermAsync(string brokerAddress, string topic, int perm, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerAddress);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (perm is not (PermName.Write or PermName.Read or PermName.ReadWrite)) throw new MQClientException($"perm {perm} is not 2, 4 or 6.");
        var response = await Instance.InvokeCheckedAsync(brokerAddress, BrokerApi.Request(RequestCode.GetAllTopicConfig), cancellationToken).ConfigureAwait(false);
        var config = ProtocolJson.Decode<TopicConfigSerializeWrapper>(response.Body.Span).TopicConfigTable.GetValueOrDefault(topic)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist on broker {brokerAddress}.");
        if (config.Perm == perm) return perm;
        var request = BrokerApi.Request(RequestCode.UpdateAndCreateTopic);
        new CreateTopicRequestHeader
        {
            Topic = topic, DefaultTopic = Protocol.Messages.SystemNames.AutoCreateTopicKeyTopic, ReadQueueNums = config.ReadQueueNums,
            WriteQueueNums = config.WriteQueueNums, Perm = perm, TopicFilterType = config.TopicFilterType, TopicSysFlag = config.TopicSysFlag,
            Order = config.Order,
        }.ToExtFields(request.ExtFields);
        await Instance.InvokeCheckedAsync(brokerAddress, request, cancellationToken).ConfigureAwait(false);
        return config.Perm;
    }

    /// <summary>WIPE_WRITE_PERM_OF_BROKER (205) on every name server: producers stop routing to the group. One answer per name server.</summary>
    public Task<IReadOnlyList<NameServerPermChange>> WipeWritePermAsync(string brokerName, CancellationToken cancellationToken = default) =>
        ChangeWritePermAsync(RequestCode.WipeWritePermOfBroker, "wipeTopicCount", brokerName, cancellationToken);

    /// <summary>ADD_WRITE_PERM_OF_BROKER (327) on every name server: the group's queues are writable again. One answer per name server.</summary>
    public Task<IReadOnlyList<NameServerPermChange>> AddWritePermAsync(string brokerName, CancellationToken cancellationToken = default) =>
        ChangeWritePermAsync(RequestCode.AddWritePermOfBroker, "addTopicCount", brokerName, cancellationToken);

    private async Task<IReadOnlyList<NameServerPermChange>> ChangeWritePermAsync(int code, string countField, string brokerName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerName);
        var result = new List<NameServerPermChange>();
        foreach (string nameServer in _options.NameServerAddresses)
        {
            var request = BrokerApi.Request(code);
            request.ExtFields.Set("brokerName", brokerName);
            try
            {
                var response = await Instance.InvokeCheckedAsync(nameServer, request, cancellationToken).ConfigureAwait(false);
                result.Add(new NameServerPermChange(nameServer, HeaderFields.OptionalInt32(response.ExtFields, countField) ?? 0, null));
            }
            catch (Exception ex) when (ex is MQException or RemotingException or RemotingProtocolException)
            {
                result.Add(new NameServerPermChange(nameServer, 0, ex.Message));
            }
        }
        return result;
    }
}

/// <summary>One name server's answer to wipeWritePerm / addWritePerm: topics changed, or why it failed.</summary>
public sealed record NameServerPermChange(string NameServer, int TopicCount, string? Error);
