namespace RaftMq.Consensus.Core;

/// <summary>
/// Options of the pure core. Time is measured in ticks (the runtime decides how long a tick is).
/// Validate() throws ArgumentException naming the option.
/// </summary>
public sealed record RaftOptions
{
    public required string SelfId { get; init; }

    /// <summary>The bootstrap voters including self (dLegerPeers): the configuration of a group whose log and snapshot
    /// hold none. Once the log holds a configuration, that one decides.</summary>
    public required IReadOnlyList<string> Peers { get; init; }

    /// <summary>The bootstrap configuration with addresses (self may be one of its learners: a node joining a running
    /// group); when null, <see cref="Peers"/> as voters without addresses.</summary>
    public Membership? InitialMembership { get; init; }

    /// <summary>Followers start a (pre-)election after a random timeout in [ElectionTicks, 2*ElectionTicks).</summary>
    public int ElectionTicks { get; init; } = 10;

    public int HeartbeatTicks { get; init; } = 1;

    /// <summary>Maximum Append messages in flight to one follower in replicate state.</summary>
    public int MaxInflightAppends { get; init; } = 256;

    /// <summary>
    /// Maximum entry bytes in flight to one follower in replicate state (etcd's MaxInflightBytes): with
    /// <see cref="MaxInflightAppends"/> it bounds what the leader reads from its log and hands to the transport for a
    /// lagging follower before that follower acknowledges, so catching one up never stalls the leader's loop.
    /// </summary>
    public long MaxInflightBytes { get; init; } = 8L << 20;

    /// <summary>
    /// Pacing of a far-behind follower (a resumed or restarted node) while proposals flow and the other voters form a
    /// quorum without it: the leader sends it at most this many times the bytes it is itself appending per tick
    /// (averaged over about eight ticks), and at least <see cref="MinCatchUpBytesPerTick"/>. The follower still
    /// catches up at several times the produce rate, while the leader's time, disk reads and the follower's apply
    /// work stay with the producers; 0 turns pacing off. A follower the quorum needs, or one in an idle group, is
    /// never paced.
    /// </summary>
    public int CatchUpRateMultiplier { get; init; } = 3;

    /// <summary>The least a paced follower is sent per tick (see <see cref="CatchUpRateMultiplier"/>).</summary>
    public long MinCatchUpBytesPerTick { get; init; } = 512L << 10;

    /// <summary>A follower is far behind (and may be paced) when it lacks more than this many of the leader's entries.</summary>
    public long CatchUpLagEntries { get; init; } = 4096;

    /// <summary>Maximum body bytes per Append message.</summary>
    public long MaxAppendBytes { get; init; } = 1 << 20;

    /// <summary>Proposals are refused with Busy once this many bytes are proposed but not committed.</summary>
    public long MaxUncommittedBytes { get; init; } = 64L << 20;

    /// <summary>When set, a leader hands leadership to this node once its log is caught up.</summary>
    public string? PreferredLeaderId { get; init; }

    /// <summary>When true the node never votes or campaigns (its own log was found corrupt).</summary>
    public bool RefuseToLead { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(SelfId)) throw new ArgumentException("SelfId must be set", nameof(SelfId));
        if (Peers.Count == 0 || !(Peers.Contains(SelfId) || (InitialMembership?.IsLearner(SelfId) ?? false)))
            throw new ArgumentException($"SelfId '{SelfId}' is not one of the peers [{string.Join(", ", Peers)}]", nameof(Peers));
        if (Peers.Distinct().Count() != Peers.Count) throw new ArgumentException("Peers contains a duplicate id", nameof(Peers));
        if (HeartbeatTicks < 1) throw new ArgumentException("HeartbeatTicks must be >= 1", nameof(HeartbeatTicks));
        if (ElectionTicks <= HeartbeatTicks) throw new ArgumentException("ElectionTicks must exceed HeartbeatTicks", nameof(ElectionTicks));
        if (MaxInflightAppends < 1) throw new ArgumentException("MaxInflightAppends must be >= 1", nameof(MaxInflightAppends));
        if (MaxInflightBytes < 1) throw new ArgumentException("MaxInflightBytes must be >= 1", nameof(MaxInflightBytes));
        if (CatchUpRateMultiplier < 0) throw new ArgumentException("CatchUpRateMultiplier must be >= 0", nameof(CatchUpRateMultiplier));
        if (MinCatchUpBytesPerTick < 1) throw new ArgumentException("MinCatchUpBytesPerTick must be >= 1", nameof(MinCatchUpBytesPerTick));
        if (CatchUpLagEntries < 1) throw new ArgumentException("CatchUpLagEntries must be >= 1", nameof(CatchUpLagEntries));
        if (MaxAppendBytes < 1) throw new ArgumentException("MaxAppendBytes must be >= 1", nameof(MaxAppendBytes));
        if (InitialMembership is not null && !InitialMembership.Voters.Select(m => m.Id).SequenceEqual(Peers))
            throw new ArgumentException("InitialMembership must have Peers as its voters", nameof(InitialMembership));
        // A preferred leader outside the bootstrap (a node added later) is fine: it counts once it is a voter.
        if (PreferredLeaderId is not null && InitialMembership is null && !Peers.Contains(PreferredLeaderId))
            throw new ArgumentException($"PreferredLeaderId '{PreferredLeaderId}' is not one of the peers", nameof(PreferredLeaderId));
    }
}
