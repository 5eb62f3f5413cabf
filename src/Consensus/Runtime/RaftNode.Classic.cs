using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>How a SYNC_MASTER send stands with the group's learners (RocketMQ's slaves).</summary>
public enum LearnerAckResult : byte
{
    /// <summary>A learner holds every entry committed when the wait began.</summary>
    Replicated,

    /// <summary>A learner was available but did not catch up in time (RocketMQ's FLUSH_SLAVE_TIMEOUT).</summary>
    TimedOut,

    /// <summary>No learner answered lately, or every one is too far behind (RocketMQ's SLAVE_NOT_AVAILABLE).</summary>
    NoneAvailable,
}

/// <summary>
/// Classic master/slave replication on the Raft log: the slaves are learners; a slave learns where its master listens
/// when it joins, and a SYNC_MASTER send waits until a learner holds it.
/// </summary>
public sealed partial class RaftNode
{
    /// <summary>Addresses of members the configuration lists without one (loop only).</summary>
    private readonly Dictionary<string, DLedgerPeer> _addressHints = new(StringComparer.Ordinal);
    private readonly LearnerAcks _learnerAcks = new();

    /// <summary>
    /// Dials member <paramref name="id"/> at <paramref name="endpoint"/> (host:port) while the configuration in effect
    /// has no address for it: a classic slave's bootstrap lists its master without one until the slave learns it.
    /// </summary>
    public Task UsePeerAddressAsync(string id, string endpoint)
    {
        var peer = DLedgerPeers.Parse($"{id}-{endpoint}").Members[0];
        return RunOnLoopAsync(() =>
        {
            if (_addressHints.TryGetValue(id, out var known) && known == peer) return;
            _addressHints[id] = peer;
            var progress = _driver.Membership;
            FollowMembership(progress.Membership, progress.Index, _driver.State.LeaderId);
        });
    }

    /// <summary>A learner silent this long counts as gone though its connection stays open (RocketMQ's HA
    /// housekeeping closes such a slave connection after haHousekeepingInterval, 20 s).</summary>
    public static readonly TimeSpan LearnerSilenceLimit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Waits until some learner holds every entry committed now (the caller's own entries are committed already), for
    /// at most <paramref name="timeout"/>. Answers <see cref="LearnerAckResult.NoneAvailable"/> at once, as RocketMQ's
    /// master does, when no learner is connected (a link with an accepted connection that answered within
    /// <see cref="LearnerSilenceLimit"/>) or every connected one is <paramref name="maxLagBytes"/> or more behind.
    /// </summary>
    public async ValueTask<LearnerAckResult> WaitForLearnersAsync(TimeSpan timeout, long maxLagBytes, CancellationToken ct = default)
    {
        long target = CommitIndex;
        if (State.Role != RaftRole.Leader) return LearnerAckResult.NoneAvailable;
        var progress = _driver.Membership;
        long best = -1;
        bool available = false;
        int voters = progress.Membership.Voters.Count;
        for (int i = voters; i < progress.Match.Length; i++)
        {
            long match = Volatile.Read(ref progress.Match[i]);
            best = Math.Max(best, match);
            string id = progress.Membership.Learners[i - voters].Id;
            bool answering = _transport.IsConnected(id) && _peerLastHeard.TryGetValue(id, out long heard)
                && System.Diagnostics.Stopwatch.GetElapsedTime(heard) < LearnerSilenceLimit;
            if (answering && ReadLog(log => log.NextPos - log.PosAfter(match), long.MaxValue) < maxLagBytes) available = true;
        }
        if (!available) return LearnerAckResult.NoneAvailable;
        _learnerAcks.Advance(best);
        return await _learnerAcks.WaitAsync(target, timeout, ct).ConfigureAwait(false) ? LearnerAckResult.Replicated : LearnerAckResult.TimedOut;
    }

    /// <summary>After a round: tells the waiters how far the most advanced learner got (leader only).</summary>
    private void AdvanceLearnerAcks()
    {
        if (!_learnerAcks.HasWaiters || _driver.State.Role != RaftRole.Leader) return;
        var progress = _driver.Membership;
        long best = -1;
        for (int i = progress.Membership.Voters.Count; i < progress.Match.Length; i++) best = Math.Max(best, Volatile.Read(ref progress.Match[i]));
        if (best > 0) _learnerAcks.Advance(best);
    }

    /// <summary>Members with neither a configured address nor a dLegerPeers entry, dialed where a hint says.</summary>
    private void AddHintedPeers(Membership membership, List<DLedgerPeer> peers)
    {
        foreach (var member in membership.All)
        {
            if (member.Id == SelfId || peers.Exists(peer => peer.Id == member.Id)) continue;
            if (_addressHints.TryGetValue(member.Id, out var hinted)) peers.Add(hinted);
        }
    }
}
