using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Processors;

/// <summary>
/// With <c>traceTopicEnable=true</c>, makes sure the trace topic (<c>msgTraceTopicName</c>, default RMQ_SYS_TRACE_TOPIC)
/// exists with one read and one write queue, as a RocketMQ broker creates it at start. Here the creation is a topic
/// entry in the replicated log, proposed by the leader whenever it becomes writable and the topic is missing, so every
/// replica holds the same topic; an operator's later change of the topic (queues, perm) is kept.
/// </summary>
public sealed class TraceTopicProvisioner
{
    /// <summary>Attempts per leadership before giving up until the next role change (a new leader may not be ready yet).</summary>
    private const int MaxAttempts = 20;

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(500);

    private readonly TopicManager _topics;
    private readonly IMessageStore _store;
    private readonly string _topic;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public TraceTopicProvisioner(TopicManager topics, IMessageStore store, string topic, ILogger logger, TimeProvider time)
    {
        _topics = topics;
        _store = store;
        _topic = topic;
        _logger = logger;
        _time = time;
    }

    /// <summary>Creates the trace topic if this node is the writable leader and the topic does not exist yet.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; attempt <= MaxAttempts && _store.IsWritable; attempt++)
        {
            if (_topics.Find(_topic) is not null) return;
            var status = await _topics.UpsertAsync(new TopicConfig(_topic, 1, 1), cancellationToken).ConfigureAwait(false);
            LogMessages.TraceTopicCreated(_logger, _topic, status);
            if (status == StoreStatus.Ok) return;
            await Task.Delay(RetryPause, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
