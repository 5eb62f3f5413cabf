using RaftMq.Protocol.Messages;

namespace RaftMq.Dashboard.Cluster;

/// <summary>The topic filter of the topics page, as in RocketMQ's console: user topics, a group's retry or dead-letter topic, or the broker's own.</summary>
public enum TopicKind
{
    Normal,
    Retry,
    Dlq,
    System,
}

public static class TopicKinds
{
    public static TopicKind Of(string topic, IReadOnlySet<string> clusterAndBrokerNames)
    {
        if (SystemNames.IsRetryTopic(topic)) return TopicKind.Retry;
        if (SystemNames.IsDlqTopic(topic)) return TopicKind.Dlq;
        bool system = topic is SystemNames.AutoCreateTopicKeyTopic or SystemNames.ScheduleTopic
            || topic.StartsWith("RMQ_SYS_", StringComparison.Ordinal)
            || topic.StartsWith("rmq_sys_", StringComparison.Ordinal)
            || clusterAndBrokerNames.Contains(topic);
        return system ? TopicKind.System : TopicKind.Normal;
    }

    /// <summary>The consumer group of a retry or DLQ topic; null for other topics.</summary>
    public static string? GroupOf(string topic) =>
        SystemNames.IsRetryTopic(topic) ? topic[SystemNames.RetryGroupTopicPrefix.Length..]
        : SystemNames.IsDlqTopic(topic) ? topic[SystemNames.DlqGroupTopicPrefix.Length..]
        : null;

    public static bool TryParse(string? text, out TopicKind? kind)
    {
        kind = null;
        if (string.IsNullOrEmpty(text) || text == "all") return true;
        if (!Enum.TryParse<TopicKind>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)) return false;
        kind = parsed;
        return true;
    }
}
