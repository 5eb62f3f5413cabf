using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Client.Instance;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Admin;

/// <summary>
/// Administrative requests to name servers and brokers: topics (create, delete, list, status), cluster overview,
/// consumer progress and leadership transfer of a broker group.
/// </summary>
public sealed partial class MQAdminClient : IAsyncDisposable
{
    private readonly AdminOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private ClientInstance? _instance;
    private BrokerApi? _api;

    /// <summary>Creates an admin client; call <see cref="StartAsync"/> before use.</summary>
    public MQAdminClient(AdminOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<MQAdminClient>();
    }

    private ClientInstance Instance => _instance ?? throw new InvalidOperationException("The admin client is not started.");

    /// <summary>Joins the shared client instance.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_instance is not null) throw new InvalidOperationException("The admin client is already started.");
        _instance = ClientInstance.Acquire(_options, _loggerFactory);
        _api = new BrokerApi(_instance);
        return Task.CompletedTask;
    }

    /// <summary>Creates or updates the topic on the master of every broker group of <paramref name="clusterName"/>; returns those group names.</summary>
    public async Task<IReadOnlyList<string>> CreateOrUpdateTopicAsync(string clusterName, TopicSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var masters = await ClusterMastersAsync(clusterName, cancellationToken).ConfigureAwait(false);
        foreach (var (brokerName, address) in masters)
        {
            var request = BrokerApi.Request(RequestCode.UpdateAndCreateTopic);
            new CreateTopicRequestHeader
            {
                Topic = settings.Topic, DefaultTopic = SystemNames.AutoCreateTopicKeyTopic, ReadQueueNums = settings.ReadQueueNums,
                WriteQueueNums = settings.WriteQueueNums, Perm = settings.Perm, TopicFilterType = TopicConfig.SingleTagFilter,
                TopicSysFlag = 0, Order = settings.Order,
            }.ToExtFields(request.ExtFields);
            await Instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
            _logger.TopicCreated(settings.Topic, brokerName, address);
        }
        return [.. masters.Keys];
    }

    /// <summary>Deletes the topic from every master of the cluster, then from every name server.</summary>
    public async Task DeleteTopicAsync(string clusterName, string topic, CancellationToken cancellationToken = default)
    {
        foreach (string address in (await ClusterMastersAsync(clusterName, cancellationToken).ConfigureAwait(false)).Values)
        {
            var request = BrokerApi.Request(RequestCode.DeleteTopicInBroker);
            request.ExtFields.Set("topic", topic);
            await Instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
            _logger.TopicDeleted(topic, address);
        }
        foreach (string nameServer in _options.NameServerAddresses)
        {
            var request = BrokerApi.Request(RequestCode.DeleteTopicInNamesrv);
            request.ExtFields.Set("topic", topic);
            request.ExtFields.Set("clusterName", clusterName);
            await Instance.InvokeCheckedAsync(nameServer, request, cancellationToken).ConfigureAwait(false);
            _logger.TopicDeleted(topic, nameServer);
        }
    }

    /// <summary>Every broker node the name server knows, with its runtime info (GET_BROKER_RUNTIME_INFO) when it answers.</summary>
    public async Task<IReadOnlyList<BrokerNodeInfo>> GetClusterInfoAsync(CancellationToken cancellationToken = default)
    {
        var info = await ClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        var nodes = new List<BrokerNodeInfo>();
        foreach (var (cluster, brokerNames) in info.ClusterAddrTable.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            foreach (string brokerName in brokerNames.Order(StringComparer.Ordinal))
            {
                if (!info.BrokerAddrTable.TryGetValue(brokerName, out var broker)) continue;
                foreach (var (id, address) in broker.BrokerAddrs)
                {
                    nodes.Add(await DescribeNodeAsync(cluster, brokerName, id, address, cancellationToken).ConfigureAwait(false));
                }
            }
        }
        return nodes;
    }

    /// <summary>All topics the name servers know (GET_ALL_TOPIC_LIST_FROM_NAMESERVER).</summary>
    public async Task<IReadOnlyList<string>> GetTopicListAsync(CancellationToken cancellationToken = default)
    {
        var response = await Instance.InvokeNameServerAsync(() => BrokerApi.Request(RequestCode.GetAllTopicListFromNameServer), cancellationToken).ConfigureAwait(false);
        if (response.Code != ResponseCode.Success) throw new MQBrokerException(response.Code, response.Remark, "name server");
        return ProtocolJson.Decode<TopicList>(response.Body.Span).Topics;
    }

    /// <summary>Min and max offset of every readable queue of the topic.</summary>
    public async Task<IReadOnlyList<QueueOffsets>> GetTopicStatusAsync(string topic, CancellationToken cancellationToken = default)
    {
        var result = new List<QueueOffsets>();
        foreach (var queue in await ReadableQueuesAsync(topic, cancellationToken).ConfigureAwait(false))
        {
            string address = await Instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, topic, cancellationToken).ConfigureAwait(false);
            long min = await _api!.GetMinOffsetAsync(address, queue, cancellationToken).ConfigureAwait(false);
            long max = await _api.GetMaxOffsetAsync(address, queue, cancellationToken).ConfigureAwait(false);
            result.Add(new QueueOffsets(queue, min, max));
        }
        return result;
    }

    /// <summary>The group's committed offset against the queue's max offset, for every readable queue of the topic.</summary>
    public async Task<ConsumerProgress> GetConsumerProgressAsync(string consumerGroup, string topic, CancellationToken cancellationToken = default)
    {
        var result = new List<QueueProgress>();
        foreach (var queue in await ReadableQueuesAsync(topic, cancellationToken).ConfigureAwait(false))
        {
            string address = await Instance.FindMasterAddressOrRefreshAsync(queue.BrokerName, topic, cancellationToken).ConfigureAwait(false);
            long brokerOffset = await _api!.GetMaxOffsetAsync(address, queue, cancellationToken).ConfigureAwait(false);
            long consumerOffset = await _api.QueryConsumerOffsetAsync(address, consumerGroup, queue, cancellationToken).ConfigureAwait(false);
            result.Add(new QueueProgress(queue, brokerOffset, consumerOffset));
        }
        return new ConsumerProgress(consumerGroup, result);
    }

    /// <summary>
    /// Asks the master of <paramref name="brokerName"/> to hand its Raft leadership to peer
    /// <paramref name="transfereeId"/> (e.g. "n1"). Sent with <see cref="AdminOptions.LeadershipTransferRequestCode"/>
    /// and extField <c>targetId</c> (the broker's admin code 9001). Returns the broker's answer, which says when a
    /// <c>preferredLeaderId</c> will take leadership back.
    /// </summary>
    public async Task<string> TransferLeadershipAsync(string brokerName, string transfereeId, CancellationToken cancellationToken = default)
    {
        var info = await ClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        string address = info.BrokerAddrTable.GetValueOrDefault(brokerName)?.MasterAddress()
            ?? throw new MQClientException($"Broker group {brokerName} has no master registered.");
        var request = BrokerApi.Request(_options.LeadershipTransferRequestCode);
        request.ExtFields.Set("targetId", transfereeId);
        var response = await Instance.InvokeCheckedAsync(address, request, cancellationToken).ConfigureAwait(false);
        _logger.LeadershipTransferRequested(brokerName, address, transfereeId);
        return string.IsNullOrEmpty(response.Remark) ? $"leadership transfer to {transfereeId} started" : response.Remark;
    }

    /// <summary>
    /// Changes the Raft membership of broker group <paramref name="brokerName"/> on its master (codes 9003-9005):
    /// <paramref name="requestCode"/> is <see cref="AdminRequestCodes.AddPeer"/> (with <paramref name="address"/>, the
    /// peer's host:port, and <paramref name="learner"/>), <see cref="AdminRequestCodes.RemovePeer"/> or
    /// <see cref="AdminRequestCodes.PromotePeer"/>. Returns the broker's answer once the change committed; a refusal
    /// (not a member, another change in flight, ...) throws <see cref="MQBrokerException"/> with the broker's reason.
    /// </summary>
    public async Task<string> ChangeRaftMembershipAsync(string brokerName, int requestCode, string peerId, string? address = null, bool learner = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(brokerName);
        ArgumentException.ThrowIfNullOrEmpty(peerId);
        var info = await ClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        string master = info.BrokerAddrTable.GetValueOrDefault(brokerName)?.MasterAddress()
            ?? throw new MQClientException($"Broker group {brokerName} has no master registered.");
        var request = BrokerApi.Request(requestCode);
        request.ExtFields.Set("peerId", peerId);
        if (address is not null) request.ExtFields.Set("address", address);
        if (requestCode == AdminRequestCodes.AddPeer) request.ExtFields.Set("learner", learner ? "true" : "false");
        var response = await Instance.InvokeCheckedAsync(master, request, cancellationToken).ConfigureAwait(false);
        return response.Remark ?? "";
    }

    /// <summary>Releases the shared client instance.</summary>
    public async ValueTask DisposeAsync()
    {
        var instance = Interlocked.Exchange(ref _instance, null);
        if (instance is not null) await instance.ReleaseAsync().ConfigureAwait(false);
    }

    /// <summary>The broker group names of every cluster, as the name servers know them (GET_BROKER_CLUSTER_INFO), sorted.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetClusterGroupsAsync(CancellationToken cancellationToken = default)
    {
        var info = await ClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        return new SortedDictionary<string, IReadOnlyList<string>>(
            info.ClusterAddrTable.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)[.. c.Value.Order(StringComparer.Ordinal)]), StringComparer.Ordinal);
    }

    private async Task<ClusterInfo> ClusterInfoAsync(CancellationToken cancellationToken)
    {
        var response = await Instance.InvokeNameServerAsync(() => BrokerApi.Request(RequestCode.GetBrokerClusterInfo), cancellationToken).ConfigureAwait(false);
        if (response.Code != ResponseCode.Success) throw new MQBrokerException(response.Code, response.Remark, "name server");
        return ProtocolJson.Decode<ClusterInfo>(response.Body.Span);
    }

    private async Task<SortedDictionary<string, string>> ClusterMastersAsync(string clusterName, CancellationToken cancellationToken)
    {
        var info = await ClusterInfoAsync(cancellationToken).ConfigureAwait(false);
        if (!info.ClusterAddrTable.TryGetValue(clusterName, out var brokerNames) || brokerNames.Count == 0)
        {
            throw new MQClientException($"Cluster {clusterName} is unknown to the name servers.");
        }
        var masters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string brokerName in brokerNames)
        {
            masters[brokerName] = info.BrokerAddrTable.GetValueOrDefault(brokerName)?.MasterAddress()
                ?? throw new MQClientException($"Broker group {brokerName} of cluster {clusterName} has no master.");
        }
        return masters;
    }

    private async Task<BrokerNodeInfo> DescribeNodeAsync(string cluster, string brokerName, long id, string address, CancellationToken cancellationToken)
    {
        var node = new BrokerNodeInfo { ClusterName = cluster, BrokerName = brokerName, BrokerId = id, Address = address };
        try
        {
            var response = await Instance.InvokeCheckedAsync(address, BrokerApi.Request(RequestCode.GetBrokerRuntimeInfo), cancellationToken).ConfigureAwait(false);
            return node with { RuntimeInfo = ProtocolJson.Decode<KvTable>(response.Body.Span).Table };
        }
        catch (Exception ex) when (ex is MQException or RemotingException or RemotingProtocolException)
        {
            _logger.RuntimeInfoUnavailable(address, ex.Message);
            return node with { Error = ex.Message };
        }
    }

    private async Task<IReadOnlyList<MessageQueue>> ReadableQueuesAsync(string topic, CancellationToken cancellationToken) =>
        (await Instance.RefreshRouteAsync(topic, cancellationToken).ConfigureAwait(false)
            ?? throw new MQClientException(ResponseCode.TopicNotExist, $"Topic {topic} does not exist.")).ReadableQueues;
}
