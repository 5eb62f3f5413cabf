using System.Globalization;
using System.Text;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Groups;

/// <summary>How mqadmin prints a consumer's running info (ConsumerRunningInfo.formatString) and its checks of a whole group
/// (analyzeSubscription, analyzeProcessQueue).</summary>
internal static class ConsumerRunningInfoText
{
    /// <summary>A push consumer started this long ago is expected to hold the group's subscription (RocketMQ's threshold).</summary>
    private static readonly TimeSpan SettledAfter = TimeSpan.FromMinutes(2);

    public static string Format(ConsumerRunningInfo info)
    {
        var text = new StringBuilder();
        text.Append("#Consumer Properties#\n");
        foreach (var (name, value) in info.Properties) text.Append(Invariant($"{name,-40}: {value}\n"));
        text.Append("\n\n#Consumer Subscription#\n");
        int row = 0;
        foreach (var subscription in info.SubscriptionSet)
        {
            text.Append(Invariant($"{++row:D3} Topic: {subscription.Topic,-40} ClassFilter: {(subscription.ClassFilterMode ? "true" : "false"),-8} SubExpression: {subscription.SubString}\n"));
        }
        text.Append("\n\n#Consumer Offset#\n");
        text.Append(Invariant($"{"#Topic",-64}  {"#Broker Name",-32}  {"#QID",-4}  {"#Consumer Offset",-20}\n"));
        foreach (var (queue, pq) in info.MqTable) text.Append(Invariant($"{queue.Topic,-32}  {queue.BrokerName,-32}  {queue.QueueId,-4}  {pq.CommitOffset,-20}\n"));
        text.Append("\n\n#Consumer MQ Detail#\n");
        text.Append(Invariant($"{"#Topic",-64}  {"#Broker Name",-32}  {"#QID",-4}  {"#ProcessQueueInfo",-20}\n"));
        foreach (var (queue, pq) in info.MqTable) text.Append(Invariant($"{queue.Topic,-64}  {queue.BrokerName,-32}  {queue.QueueId,-4}  {Describe(pq)}\n"));
        text.Append("\n\n#Consumer RT&TPS#\n");
        text.Append(Invariant($"{"#Topic",-64}  {"#Pull RT",14} {"#Pull TPS",14} {"#Consume RT",14} {"#ConsumeOK TPS",14} {"#ConsumeFailed TPS",18} {"#ConsumeFailedMsgsInHour",25}\n"));
        foreach (var (topic, status) in info.StatusTable)
        {
            text.Append(Invariant($"{topic,-32}  {status.PullRT,14:F2} {status.PullTPS,14:F2} {status.ConsumeRT,14:F2} {status.ConsumeOKTPS,14:F2} {status.ConsumeFailedTPS,18:F2} {status.ConsumeFailedMsgs,25}\n"));
        }
        if (info.Jstack is not null) text.Append("\n\n#Consumer jstack#\n").Append(info.Jstack);
        return text.ToString();
    }

    /// <summary>Java's ProcessQueueInfo.toString (times as yyyyMMddHHmmssSSS local time).</summary>
    public static string Describe(ProcessQueueInfo pq) => string.Create(CultureInfo.InvariantCulture,
        $"ProcessQueueInfo [commitOffset={pq.CommitOffset}, cachedMsgMinOffset={pq.CachedMsgMinOffset}, cachedMsgMaxOffset={pq.CachedMsgMaxOffset}, " +
        $"cachedMsgCount={pq.CachedMsgCount}, cachedMsgSizeInMiB={pq.CachedMsgSizeInMiB}, transactionMsgMinOffset={pq.TransactionMsgMinOffset}, " +
        $"transactionMsgMaxOffset={pq.TransactionMsgMaxOffset}, transactionMsgCount={pq.TransactionMsgCount}, locked={Bool(pq.Locked)}, " +
        $"tryUnlockTimes={pq.TryUnlockTimes}, lastLockTimestamp={Human(pq.LastLockTimestamp)}, droped={Bool(pq.Dropped)}, " +
        $"lastPullTimestamp={Human(pq.LastPullTimestamp)}, lastConsumeTimestamp={Human(pq.LastConsumeTimestamp)}]");

    /// <summary>analyzeSubscription: push consumers running for a while must all hold the same, non-empty subscription.</summary>
    public static bool SameSubscription(IReadOnlyList<ConsumerRunningInfo> infos, DateTimeOffset now)
    {
        var first = infos[0];
        bool settled = first.Properties.TryGetValue(ConsumerRunningInfo.PropConsumerStartTimestamp, out string? started)
            && long.TryParse(started, CultureInfo.InvariantCulture, out long startedMs)
            && now - DateTimeOffset.FromUnixTimeMilliseconds(startedMs) > SettledAfter;
        if (!first.IsPushType || !settled) return true;
        string expected = Subscriptions(first);
        return infos.All(info => Subscriptions(info) == expected) && first.SubscriptionSet.Count > 0;
    }

    /// <summary>analyzeProcessQueue: orderly queues that cannot lock, concurrent queues holding messages unconsumed for a minute.</summary>
    public static string ProcessQueueWarnings(string clientId, ConsumerRunningInfo info, DateTimeOffset now)
    {
        if (!info.IsPushType) return "";
        bool orderly = info.Properties.TryGetValue(ConsumerRunningInfo.PropConsumeOrderly, out string? value) && value == "true";
        long nowMs = now.ToUnixTimeMilliseconds();
        var text = new StringBuilder();
        foreach (var (queue, pq) in info.MqTable)
        {
            string name = Messages.MessageOutput.Describe(queue);
            if (orderly && !pq.Locked) text.Append(Invariant($"{clientId} {name} can't lock for a while, {nowMs - pq.LastLockTimestamp}ms\n"));
            else if (orderly && pq.Dropped && pq.TryUnlockTimes > 0) text.Append(Invariant($"{clientId} {name} unlock {pq.TryUnlockTimes} times, still failed\n"));
            else if (!orderly && nowMs - pq.LastConsumeTimestamp > 60_000 && pq.CachedMsgCount > 0)
            {
                text.Append(Invariant($"{clientId} {name} can't consume for a while, maybe blocked, {nowMs - pq.LastConsumeTimestamp}ms\n"));
            }
        }
        return text.ToString();
    }

    private static string Subscriptions(ConsumerRunningInfo info) =>
        string.Join("|", info.SubscriptionSet.Select(s => $"{s.Topic}:{s.ExpressionType}:{s.SubString}").Order(StringComparer.Ordinal));

    private static string Human(long ms)
    {
        var local = DateTimeOffset.FromUnixTimeMilliseconds(ms).ToLocalTime();
        return local.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
