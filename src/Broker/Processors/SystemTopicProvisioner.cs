using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Broker.Processors;

/// <summary>
/// Makes sure the topics a RocketMQ broker creates at start exist: the topic named after the broker group (one queue;
/// mqadmin's sendMsgStatus and clusterRT send to it), the topic named after the cluster, and with
/// <c>traceTopicEnable=true</c> the trace topic. Here each creation is a topic entry in the replicated log, proposed by
/// the leader whenever it becomes writable and the topic is missing, so every replica holds the same topics; an operator's
/// later change of such a topic (queues, perm) is kept.
/// </summary>
public sealed class SystemTopicProvisioner
{
    /// <summary>Attempts per leadership before giving up until the next role change (a new leader may not be ready yet).</summary>
    private const int MaxAttempts = 20;

    /// <summary>RocketMQ's TopicConfig default, which its cluster-named topic keeps.</summary>
    public const int ClusterTopicQueueNums = 16;

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(500);

    private readonly TopicManager _topics;
    private readonly IMessageStore _store;
    private readonly IReadOnlyList<(TopicConfig Topic, string Reason)> _wanted;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public SystemTopicProvisioner(TopicManager topics, IMessageStore store, IReadOnlyList<(TopicConfig Topic, string Reason)> wanted, ILogger logger,
        TimeProvider time)
    {
        _topics = topics;
        _store = store;
        _wanted = wanted;
        _logger = logger;
        _time = time;
    }

    /// <summary>
    /// RocketMQ's set: the broker-named topic (1 queue) and the cluster-named topic (16 queues), readable and writable when
    /// <c>brokerTopicEnable</c> / <c>clusterTopicEnable</c>, else inherit-only (they exist but take no messages); the trace
    /// topic (1 queue) when <c>traceTopicEnable</c>.
    /// </summary>
    public static IReadOnlyList<(TopicConfig Topic, string Reason)> RocketMqDefaults(string clusterName, string brokerName, bool clusterTopicEnable,
        bool brokerTopicEnable, string? traceTopic)
    {
        var wanted = new List<(TopicConfig, string)>
        {
            (new TopicConfig(brokerName, 1, 1, Perm(brokerTopicEnable)), $"brokerTopicEnable={Bool(brokerTopicEnable)}"),
        };
        // A cluster and a group of the same name share the topic; the broker's single queue wins, as in RocketMQ (it is created second there).
        if (clusterName != brokerName)
        {
            wanted.Add((new TopicConfig(clusterName, ClusterTopicQueueNums, ClusterTopicQueueNums, Perm(clusterTopicEnable)), $"clusterTopicEnable={Bool(clusterTopicEnable)}"));
        }
        if (traceTopic is not null) wanted.Add((new TopicConfig(traceTopic, 1, 1), "traceTopicEnable=true"));
        // A broker or cluster name that is no valid topic name (a dot, say) gets no topic, rather than a refused entry at every leadership.
        return [.. wanted.Where(entry => TopicValidation.ValidateName(entry.Item1.Name) is null)];
    }

    /// <summary>Creates the missing topics if this node is the writable leader.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; attempt <= MaxAttempts && _store.IsWritable; attempt++)
        {
            bool failed = false;
            foreach (var (topic, reason) in _wanted)
            {
                if (_topics.Find(topic.Name) is not null) continue;
                var status = await _topics.UpsertAsync(topic, cancellationToken).ConfigureAwait(false);
                LogMessages.SystemTopicCreated(_logger, topic.Name, reason, topic.WriteQueueNums, topic.Perm, status);
                failed |= status != StoreStatus.Ok;
            }
            if (!failed) return;
            await Task.Delay(RetryPause, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int Perm(bool enabled) => enabled ? PermName.Inherit | PermName.ReadWrite : PermName.Inherit;

    private static string Bool(bool value) => value ? "true" : "false";
}
