namespace RaftMq.Client.Consumer;

/// <summary>What a pull found.</summary>
public enum PullStatus
{
    /// <summary>Messages returned.</summary>
    Found,

    /// <summary>Nothing new at this offset.</summary>
    NoNewMessage,

    /// <summary>Messages were there, but none matched the tag expression; continue at <see cref="PullResult.NextBeginOffset"/>.</summary>
    NoMatchedMessage,

    /// <summary>The offset is outside the queue; continue at <see cref="PullResult.NextBeginOffset"/>.</summary>
    OffsetIllegal,
}

/// <summary>The answer to one pull.</summary>
public sealed record PullResult
{
    /// <summary>What the pull found.</summary>
    public required PullStatus Status { get; init; }

    /// <summary>Offset to pull from next.</summary>
    public required long NextBeginOffset { get; init; }

    /// <summary>Lowest offset still in the queue.</summary>
    public required long MinOffset { get; init; }

    /// <summary>Offset the next message written to the queue will get.</summary>
    public required long MaxOffset { get; init; }

    /// <summary>Messages found (already filtered by tag); empty unless <see cref="Status"/> is <see cref="PullStatus.Found"/>.</summary>
    public required IReadOnlyList<MessageExt> Messages { get; init; }
}
