using RaftMq.Broker.Store;

namespace RaftMq.Broker.Processors.Pull;

/// <summary>
/// Where a consumer should pull a queue from next (the pull answer's <c>suggestWhichBrokerId</c>), as RocketMQ's
/// PullMessageProcessor decides it: the master (0) unless <c>slaveReadEnable</c>; with it, the subscription group's
/// <c>whichBrokerWhenConsumeSlowly</c> (1 unless set) while the consumer lags by more than
/// <see cref="ProcessorOptions.ConsumeSlowlyBacklogBytes"/>, else the group's <c>brokerId</c> (0 unless set).
/// </summary>
internal static class PullSourceSuggestion
{
    public const long Master = 0;

    /// <summary>RocketMQ's default of a subscription group's <c>whichBrokerWhenConsumeSlowly</c>.</summary>
    public const long DefaultSlowBrokerId = 1;

    public static long For(IMessageStore store, ProcessorOptions options, string consumerGroup, string topic, int queueId, in GetResult result)
    {
        if (!options.SlaveReadEnable) return Master;
        var group = store.FindSubscriptionGroup(consumerGroup);
        return IsSlow(BacklogBytes(store, topic, queueId, result), options.ConsumeSlowlyBacklogBytes)
            ? group?.WhichBrokerWhenConsumeSlowly ?? DefaultSlowBrokerId
            : group?.BrokerId ?? Master;
    }

    /// <summary>RocketMQ's rule (its <c>diff &gt; memory</c>): more backlog than the limit; a backlog of 0 never is.</summary>
    public static bool IsSlow(long backlogBytes, long limitBytes) => backlogBytes > 0 && backlogBytes > limitBytes;

    /// <summary>
    /// Bytes of the log from the last message this pull examined to the end of the queue's newest message: what RocketMQ
    /// measures as the commit log's max offset minus the offset of the last message pulled, but up to this queue's
    /// newest message (later writes to other queues are none of this consumer's backlog). 0 when the pull found
    /// nothing or the queue's units are gone.
    /// </summary>
    public static long BacklogBytes(IMessageStore store, string topic, int queueId, in GetResult result)
    {
        if (result.Status is not (GetStatus.Found or GetStatus.NoMatchedMessage) || result.NextBeginOffset <= 0 || result.MaxOffset <= 0) return 0;
        if (store.ReadConsumeQueue(topic, queueId, result.NextBeginOffset - 1, 1) is not [var last]) return 0;
        if (store.ReadConsumeQueue(topic, queueId, result.MaxOffset - 1, 1) is not [var newest]) return 0;
        return Math.Max(0, newest.PhysicalOffset + newest.Size - last.PhysicalOffset);
    }
}
