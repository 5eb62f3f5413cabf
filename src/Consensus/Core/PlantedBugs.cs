namespace RaftMq.Consensus.Core;

/// <summary>
/// Test-only fault injection: deliberate protocol and runtime bugs that the deterministic simulator must detect.
/// Only the internal <see cref="RaftCore"/> constructor (and the internal node-driver and log-store options) (reachable from the test assembly through InternalsVisibleTo)
/// accepts them; the public constructor always runs with <see cref="None"/>. When off, each hook costs one
/// flag test on a cold path.
/// </summary>
[Flags]
internal enum PlantedBugs
{
    None = 0,

    /// <summary>Commit any entry replicated on a majority, even one from an earlier term (Raft Figure 8).</summary>
    CommitOldTermByCounting = 1,

    /// <summary>Persist the term but not the vote, so a restarted node can vote twice in one term.</summary>
    ForgetToPersistVote = 2,

    /// <summary>Grant (pre-)votes without checking that the candidate's log is at least as up to date.</summary>
    GrantVoteWithoutUpToDateCheck = 4,

    /// <summary>Campaign directly with a real vote, bumping the term (disrupts a healthy leader on rejoin).</summary>
    SkipPreVote = 8,

    /// <summary>A leader never checks that it still hears from a majority, and voters ignore leader leases.</summary>
    NoCheckQuorum = 16,

    /// <summary>Node driver: send a Ready's messages (acknowledgements, votes) before its entries are fsynced.</summary>
    AckBeforeFsync = 32,

    /// <summary>Apply committed entries before the Ready's entries and hard state are persisted, including entries
    /// this node has not yet persisted itself (the core hands them out as soon as they are known committed).</summary>
    ApplyBeforePersist = 64,

    /// <summary>Log recovery: keep a torn last entry whose header is intact instead of truncating it.</summary>
    KeepTornTail = 128,

    /// <summary>Leadership transfer sends TimeoutNow at once, before the target caught up (it then loses, disrupting
    /// the group for an election timeout).</summary>
    TimeoutNowBeforeCaughtUp = 256,

    /// <summary>Propose a configuration change while the previous one is still uncommitted (two voter changes in flight
    /// let the old and the newest configuration have disjoint majorities).</summary>
    TwoMembershipChangesInFlight = 512,

    /// <summary>Count the votes of learners (and ask them), so a candidate can win without a majority of the voters.</summary>
    CountLearnerVote = 1024,

    /// <summary>Put a configuration into effect when it commits instead of when it is appended.</summary>
    ApplyConfigurationAtCommit = 2048,
}
