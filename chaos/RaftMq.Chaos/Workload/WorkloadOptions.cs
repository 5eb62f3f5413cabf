namespace RaftMq.Chaos.Workload;

/// <summary>Producers and consumers of a run; every loop is bounded in count and time.</summary>
public sealed record WorkloadOptions
{
    public int Producers { get; init; } = 4;

    public int Consumers { get; init; } = 2;

    /// <summary>Keys each producer owns; a key is only ever sent by its producer, one send at a time, so seq order is send order.</summary>
    public int KeysPerProducer { get; init; } = 2;

    /// <summary>Upper bound on distinct payloads over all producers (split evenly between them).</summary>
    public int MaxMessages { get; init; } = 10_000;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause between sends of one producer (zero = as fast as acks come back).</summary>
    public TimeSpan SendInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>A send still running after this is abandoned and recorded as info.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Re-sends of the same payload after an info or fail outcome (makes explained duplicates possible).</summary>
    public int RetriesAfterFailure { get; init; } = 1;

    public int PayloadSize { get; init; } = 128;

    /// <summary>Every payload is sent in a transaction whose outcome <see cref="History.TransactionPlans.For"/> picks.</summary>
    public bool Transactional { get; init; }

    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (Producers < 1 || Consumers < 1 || KeysPerProducer < 1 || MaxMessages < 0 || RetriesAfterFailure < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Producers),
                $"need producers>=1, consumers>=1, keysPerProducer>=1, maxMessages>=0, retries>=0; got {this}");
        }

        if (SendTimeout <= TimeSpan.Zero || Duration < TimeSpan.Zero || DrainTimeout < TimeSpan.Zero || SendInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SendTimeout), $"times must be positive; got {this}");
        }
    }
}
