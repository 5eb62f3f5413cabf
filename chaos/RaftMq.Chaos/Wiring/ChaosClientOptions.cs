namespace RaftMq.Chaos.Wiring;

/// <summary>
/// How the harness uses RaftMq.Client: one topic, one producer group, one consumer group, settings tuned for fast
/// failover (frequent route refresh and heartbeats, short backoffs) so that recovery times measure the broker
/// group rather than client timers.
/// </summary>
public sealed record ChaosClientOptions
{
    public required string NameServerAddress { get; init; }

    public string ClusterName { get; init; } = "RaftCluster";

    public string Topic { get; init; } = "ChaosTopic";

    /// <summary>Read and write queues of the topic; keys are spread over them by a stable hash.</summary>
    public int QueueCount { get; init; } = 4;

    public string ProducerGroup { get; init; } = "chaos_producer";

    public string ConsumerGroup { get; init; } = "chaos_consumer";

    /// <summary>The producer is a TransactionProducer (sends payloads that carry a plan in a transaction, answers checks).</summary>
    public bool Transactional { get; init; }

    /// <summary>Timeout of one send request (the workload's own timeout is longer and records an info).</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Route re-reads from the name server besides the on-failure refresh.</summary>
    public TimeSpan RouteRefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan RebalanceInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan LongPollingSuspend { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan PullRetryMaxBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan PersistOffsetInterval { get; init; } = TimeSpan.FromSeconds(1);
}
