namespace RaftMq.Client.Consumer;

/// <summary>Settings of a <see cref="PullConsumer"/>.</summary>
public sealed record PullConsumerOptions : ClientOptions
{
    /// <summary>Consumer group whose offsets the consumer reads and commits.</summary>
    public string ConsumerGroup { get; init; } = "";

    /// <summary>How long the broker may hold <see cref="PullConsumer.PullBlockIfNotFoundAsync(RaftMq.Protocol.Bodies.MessageQueue, string, long, int, System.Threading.CancellationToken)"/> when there is nothing new.</summary>
    public TimeSpan LongPollingSuspend { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Timeout of one pull request; must exceed <see cref="LongPollingSuspend"/>.</summary>
    public TimeSpan PullTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of one pull when the broker cannot be reached (the route is refreshed between attempts).</summary>
    public int PullAttempts { get; init; } = 3;

    /// <summary>Pause before the second attempt; doubles for each further one.</summary>
    public TimeSpan PullRetryBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        Require(!string.IsNullOrWhiteSpace(ConsumerGroup) && !ConsumerGroup.Contains('%'), nameof(ConsumerGroup), ConsumerGroup, "non-empty without '%'");
        RequirePositive(LongPollingSuspend, nameof(LongPollingSuspend));
        Require(PullTimeout > LongPollingSuspend, nameof(PullTimeout), PullTimeout, "longer than LongPollingSuspend");
        Require(PullAttempts is >= 1 and <= 10, nameof(PullAttempts), PullAttempts, "1..10");
        Require(PullRetryBackoff >= TimeSpan.Zero, nameof(PullRetryBackoff), PullRetryBackoff, "non-negative");
    }
}
