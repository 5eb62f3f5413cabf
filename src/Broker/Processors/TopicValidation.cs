using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors;

/// <summary>RocketMQ 4.9's topic name rules (TopicValidator): <c>^[%|a-zA-Z0-9_-]+$</c>, at most 127 characters.</summary>
public static class TopicValidation
{
    public const int MaxTopicLength = StoredMessageLayout.MaxTopicLength;

    /// <summary>System topics that producers may not write to directly (they belong to broker mechanisms).</summary>
    private static readonly HashSet<string> NotAllowedSendTopics = new(StringComparer.Ordinal)
    {
        SystemNames.ScheduleTopic, SystemNames.TransactionHalfTopic, SystemNames.TransactionOpHalfTopic, SystemNames.TransactionCheckMaxTimeTopic,
    };

    /// <summary>Null when <paramref name="topic"/> is a legal name, otherwise why not.</summary>
    public static string? ValidateName(string? topic)
    {
        if (string.IsNullOrWhiteSpace(topic)) return "the specified topic is blank";
        if (topic.Length > MaxTopicLength) return $"the specified topic is longer than {MaxTopicLength} characters";
        foreach (char c in topic)
        {
            if (!IsLegal(c)) return $"the specified topic[{topic}] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$";
        }
        return null;
    }

    /// <summary>Null when a producer may send to <paramref name="topic"/>, otherwise why not.</summary>
    public static string? ValidateForSend(string topic)
    {
        if (ValidateName(topic) is { } invalid) return invalid;
        if (topic == SystemNames.AutoCreateTopicKeyTopic) return $"the specified topic[{topic}] is the auto-create template and cannot receive messages";
        return null;
    }

    public static bool IsNotAllowedSendTopic(string topic) => NotAllowedSendTopics.Contains(topic);

    private static bool IsLegal(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '%' or '|' or '_' or '-';
}
