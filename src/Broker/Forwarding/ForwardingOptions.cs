using RaftMq.Foundation.Configuration;

namespace RaftMq.Broker.Forwarding;

/// <summary>
/// How a follower forwards leader-only requests (sends, offset commits, heartbeats) to the group's leader
/// (docs/design/broker-processors.md, "Followers"). Keys in <see cref="ForwardingKeys"/>.
/// </summary>
public sealed record ForwardingOptions
{
    /// <summary>Forward at all; off makes a follower answer "not master" as RocketMQ's DLedger brokers do.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>A forwarded request's whole budget: finding the leader, connecting and waiting for its answer. The
    /// RocketMQ wire carries no client timeout, so this is the clients' default send timeout (3 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Forwarded requests waiting for the leader's answer; beyond it a follower answers SYSTEM_BUSY.</summary>
    public int MaxInFlightRequests { get; init; } = 2048;

    /// <summary>Body bytes of forwarded requests waiting for the leader's answer; beyond it SYSTEM_BUSY.</summary>
    public long MaxInFlightBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long a leader that was asked to stop hands leadership over before it closes its ports; zero
    /// stops at once (the group then elects a leader after an election timeout).</summary>
    public TimeSpan HandOverOnStop { get; init; } = TimeSpan.FromSeconds(5);

    public static ForwardingOptions FromProperties(PropertiesFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new ForwardingOptions
        {
            Enabled = file.GetBoolean(ForwardingKeys.ForwardToLeader, true),
            Timeout = TimeSpan.FromMilliseconds(file.GetInt32(ForwardingKeys.ForwardTimeoutMs, 3_000, 100, 60_000)),
            MaxInFlightRequests = file.GetInt32(ForwardingKeys.ForwardMaxInFlightRequests, 2048, 1, 1_000_000),
            MaxInFlightBytes = file.GetInt32(ForwardingKeys.ForwardMaxInFlightMb, 64, 1, 4096) * 1024L * 1024,
            HandOverOnStop = TimeSpan.FromMilliseconds(file.GetInt32(ForwardingKeys.LeaderHandOverOnStopMs, 5_000, 0, 60_000)),
        };
    }
}

/// <summary>RaftMq's broker.conf keys for forwarding and the hand-over at stop (docs/configuration/broker-keys.md).</summary>
public static class ForwardingKeys
{
    public const string ForwardToLeader = "forwardToLeader";
    public const string ForwardTimeoutMs = "forwardTimeoutMs";
    public const string ForwardMaxInFlightRequests = "forwardMaxInFlightRequests";
    public const string ForwardMaxInFlightMb = "forwardMaxInFlightMb";
    public const string LeaderHandOverOnStopMs = "leaderHandOverOnStopMs";
}
