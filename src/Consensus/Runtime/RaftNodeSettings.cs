namespace RaftMq.Consensus.Runtime;

/// <summary>
/// Runtime knobs that are not broker.conf keys: limits of the node loop and the retention schedule. The defaults
/// suit production; tests inject a clock, a disk-usage probe and small segments through these.
/// </summary>
public sealed record RaftNodeSettings
{
    /// <summary>Capacity of the loop's input channel (peer messages and proposals). A full channel answers
    /// AppendAsync with Busy and pauses reading from peers (TCP back-pressure).</summary>
    public int InputCapacity { get; init; } = 16384;

    /// <summary>Inputs stepped into the core before the loop persists and sends (bounds one group-commit batch).</summary>
    public int MaxInputsPerRound { get; init; } = 4096;

    /// <summary>Readies handled per round. Each applies at most the core's MaxAppendBytes of committed entries, so
    /// catching up a long backlog never keeps the loop from ticks and peer messages for long.</summary>
    public int MaxReadiesPerRound { get; init; } = 4;

    /// <summary>Where retention reads the time of day and the age of segments.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How often retention checks whether it is due; null disables the scheduled check (a pass can still be
    /// run with <see cref="RaftNode.RunRetentionAsync"/>).</summary>
    public TimeSpan? RetentionCheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Fraction (0-1) of the store's file system in use; by default read from the mount holding the store.</summary>
    public Func<string, double> DiskUsedRatio { get; init; } = DiskUsage.UsedRatio;

    /// <summary>TLS of the peer links, built by the host from broker.conf's TLS keys and PEM files; null: plaintext.</summary>
    public Transport.PeerTlsOptions? PeerTls { get; init; }

    /// <summary>Throws ArgumentException naming the setting.</summary>
    public void Validate()
    {
        if (InputCapacity < 1) throw new ArgumentException("InputCapacity must be >= 1", nameof(InputCapacity));
        if (MaxInputsPerRound < 1) throw new ArgumentException("MaxInputsPerRound must be >= 1", nameof(MaxInputsPerRound));
        if (MaxReadiesPerRound < 1) throw new ArgumentException("MaxReadiesPerRound must be >= 1", nameof(MaxReadiesPerRound));
        ArgumentNullException.ThrowIfNull(Clock);
        ArgumentNullException.ThrowIfNull(DiskUsedRatio);
        if (RetentionCheckInterval is { } interval && interval <= TimeSpan.Zero)
            throw new ArgumentException("RetentionCheckInterval must be positive", nameof(RetentionCheckInterval));
        PeerTls?.Validate();
    }
}
