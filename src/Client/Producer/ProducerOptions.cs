using RaftMq.Protocol.Messages;

namespace RaftMq.Client.Producer;

/// <summary>Settings of a <see cref="MQProducer"/>.</summary>
public sealed record ProducerOptions : ClientOptions
{
    /// <summary>Producer group name (sent with every message and in heartbeats).</summary>
    public string ProducerGroup { get; init; } = SystemNames.DefaultProducerGroup;

    /// <summary>Timeout of one send attempt.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Extra attempts, each on another queue (another broker when there is one), after a retriable failure.</summary>
    public int RetryTimesWhenSendFailed { get; init; } = 2;

    /// <summary>Pause before retrying on the same broker address that just failed (e.g. while a new leader is elected).</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Bodies at least this large are zlib-compressed on the wire.</summary>
    public int CompressBodyThresholdBytes { get; init; } = 4 * 1024;

    /// <summary>Largest body (after compression) or batch accepted for sending.</summary>
    public int MaxMessageSizeBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Template topic for auto-creating unknown topics (TBW102); null disables the fallback.</summary>
    public string? CreateTopicKey { get; init; } = SystemNames.AutoCreateTopicKeyTopic;

    /// <summary>Queues per broker for an auto-created topic.</summary>
    public int DefaultTopicQueueNums { get; init; } = 4;

    /// <summary>Avoid broker addresses that recently failed or answered slowly.</summary>
    public bool LatencyFaultToleranceEnabled { get; init; } = true;

    /// <summary>How long a broker address that failed (refused, timed out, not master) is avoided.</summary>
    public TimeSpan FaultIsolationDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Writes a Pub trace record of every acknowledged send to the trace topic (RocketMQ's enableMsgTrace);
    /// asynchronous and bounded, it never blocks or fails a send (docs/trace.md).</summary>
    public bool EnableMsgTrace { get; init; }

    /// <summary>Trace topic instead of RMQ_SYS_TRACE_TOPIC (RocketMQ's customizedTraceTopic).</summary>
    public string? CustomizedTraceTopic { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(!string.IsNullOrWhiteSpace(ProducerGroup), nameof(ProducerGroup), ProducerGroup, "non-empty");
        RequirePositive(SendTimeout, nameof(SendTimeout));
        Require(RetryTimesWhenSendFailed is >= 0 and <= 16, nameof(RetryTimesWhenSendFailed), RetryTimesWhenSendFailed, "0..16");
        Require(RetryBackoff >= TimeSpan.Zero, nameof(RetryBackoff), RetryBackoff, "non-negative");
        Require(CompressBodyThresholdBytes > 0, nameof(CompressBodyThresholdBytes), CompressBodyThresholdBytes, "positive");
        Require(MaxMessageSizeBytes > 0, nameof(MaxMessageSizeBytes), MaxMessageSizeBytes, "positive");
        Require(DefaultTopicQueueNums > 0, nameof(DefaultTopicQueueNums), DefaultTopicQueueNums, "positive");
        Require(FaultIsolationDuration >= TimeSpan.Zero, nameof(FaultIsolationDuration), FaultIsolationDuration, "non-negative");
        RequireTopicNameOrNull(CustomizedTraceTopic, nameof(CustomizedTraceTopic));
    }
}
