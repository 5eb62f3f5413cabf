using static RaftMq.Protocol.Headers.HeaderFields;

namespace RaftMq.Protocol.Headers;

/// <summary>VIEW_BROKER_STATS_DATA (315) request, RocketMQ's ViewBrokerStatsDataRequestHeader: the statistic
/// (<see cref="BrokerStatsNames"/>) and its key (a topic, or <c>topic@group</c>).</summary>
public readonly record struct ViewBrokerStatsDataRequestHeader
{
    public required string StatsName { get; init; }

    public required string StatsKey { get; init; }

    public static ViewBrokerStatsDataRequestHeader FromExtFields(StringMap fields) => new()
    {
        StatsName = RequiredString(fields, "statsName"),
        StatsKey = RequiredString(fields, "statsKey"),
    };

    public void ToExtFields(StringMap fields)
    {
        Put(fields, "statsName", StatsName);
        Put(fields, "statsKey", StatsKey);
    }
}

/// <summary>The statistics VIEW_BROKER_STATS_DATA serves (RocketMQ's BrokerStatsManager names).</summary>
public static class BrokerStatsNames
{
    /// <summary>Messages stored by sends, key: topic.</summary>
    public const string TopicPutNums = "TOPIC_PUT_NUMS";

    /// <summary>Stored bytes of those messages, key: topic.</summary>
    public const string TopicPutSize = "TOPIC_PUT_SIZE";

    /// <summary>Messages returned to a group's pulls, key: topic@group.</summary>
    public const string GroupGetNums = "GROUP_GET_NUMS";

    /// <summary>Bytes of those messages, key: topic@group.</summary>
    public const string GroupGetSize = "GROUP_GET_SIZE";

    public static IReadOnlyList<string> All { get; } = [TopicPutNums, TopicPutSize, GroupGetNums, GroupGetSize];

    /// <summary>The key of a group statistic (RocketMQ's <c>topic@group</c>).</summary>
    public static string GroupKey(string topic, string group) => topic + "@" + group;
}
