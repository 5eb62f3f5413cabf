using RaftMq.Broker.Store;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Processors.Consumer;

/// <summary>
/// A consumer group's effective subscription settings: those the log set with UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, or
/// else the defaults every group gets (RocketMQ's autoCreateSubscriptionGroup), whose retry limits come from broker.conf
/// (<c>maxReconsumeTimes</c>, <c>retryQueueNums</c> in <see cref="ProcessorOptions"/>).
/// </summary>
internal static class SubscriptionGroups
{
    public static SubscriptionGroupConfig Effective(IMessageStore store, ProcessorOptions options, string group) =>
        store.FindSubscriptionGroup(group) ?? Defaults(options, group);

    public static SubscriptionGroupConfig Defaults(ProcessorOptions options, string group) => new()
    {
        GroupName = group,
        RetryMaxTimes = options.MaxReconsumeTimes,
        RetryQueueNums = options.RetryQueueNums,
    };
}
