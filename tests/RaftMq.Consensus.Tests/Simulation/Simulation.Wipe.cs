using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// The "wipe a follower's log but keep its hard state" fault: the operator procedure for a corrupt log
/// (docs/operations/corrupt-log.md), or a corrupt log that opens as empty. The leader that knew the follower
/// must notice the loss and catch it up again (entries, or the snapshot once it compacted).
/// </summary>
/// <remarks>
/// Safety rule. Raft assumes acknowledged entries stay on disk, so a wipe is only harmless while nobody needs
/// the wiped entries: the node keeps its term and vote (it cannot vote twice), but it now votes as if its log
/// were empty. So the fault fires only when a leader exists and every other node's durable log holds the leader's
/// entries up to the highest index ever committed (by any leader, also one that crashed since): every committed entry
/// then survives on all the others.
/// The victim may hold more than the others (entries it acknowledged that are not committed yet): that is when the
/// leader's guard matters, which refuses to count acknowledgements the victim sent before the wipe once it found
/// the loss (counting them could commit an entry that now lives on the leader alone). So the leader must not have
/// counted the victim beyond the commit index yet, and the victim's answers still in flight are delayed until after
/// its restart (a slow or duplicated packet), so they arrive after the leader found the loss. One wipe at a time.
/// </remarks>
internal sealed partial class Simulation
{
    private bool _wipeArmed;

    private void ArmWipeFollower(FaultEvent fault)
    {
        if (_wipeArmed || _nodes.Length < 2 || _staleAnswersLeader is not null) return;
        _wipeArmed = true;
        Schedule(_now + _profile.StepsPerTick, new SimEvent(SimEventKind.WipeCheck, -1, 0, null, fault));
    }

    /// <summary>Checked every tick while armed: wipes a follower as soon as the safety rule allows it.</summary>
    private void TryWipeFollower(SimEvent check)
    {
        if (check.Node == -2)
        {
            ReleaseStaleAnswers();
            return;
        }
        if (_liveness is not null)
        {
            _wipeArmed = false;
            return;
        }
        var pick = new Random(check.Fault!.Pick);
        SimNode? leader = CurrentLeader();
        SimNode? victim = leader is null ? null : PickNode(pick, n => n != leader && n.Alive && MayWipe(leader, n));
        if (leader is null || victim is null || !OthersHoldEverythingCommitted(leader, victim)
            || leader.Core!.MatchForTesting(victim.Id) > leader.Core.CommitIndex)
        {
            Schedule(_now + _profile.StepsPerTick, check);
            return;
        }
        _wipeArmed = false;
        HardState kept = HardStateOf(victim);
        bool differed = victim.Log!.LastIndex != leader.Log!.LastIndex;
        Trace($"wipe {victim.Id}'s log (keeping hard state term {kept.Term}, vote {kept.VotedFor ?? "-"}); leader {leader.Id}{(differed ? "; logs differ" : "")}");
        if (differed) _wipesWhileLogsDiffer++;
        _wipedGenerations.Add((victim.Index, victim.Generation));
        _staleAnswersLeader = leader;
        _staleAnswersVictim = victim;
        _staleAnswersUnguarded = leader.Core!.MatchForTesting(victim.Id) == 0;
        _staleAnswersUntil = _now + 50 * _profile.StepsPerTick;
        foreach (SimNode other in _nodes)
        {
            // Answers already delivered but not yet stepped (the receiver's disk was busy) are in flight too.
            foreach (var message in other.TakeQueuedMessagesFrom(victim.Id))
                _staleAnswers.Add(new SimEvent(SimEventKind.Deliver, other.Index, -1, message, null));
        }
        Schedule(_now + _profile.StepsPerTick, new SimEvent(SimEventKind.WipeCheck, -2, 0, null, null));
        Crash(victim);
        victim.Disk.Wipe(victim.StorePath, HardStateFile.FileName);
        long restartAt = _now + (1 + pick.Next(10)) * _profile.StepsPerTick;
        Schedule(restartAt, new SimEvent(SimEventKind.Fault, -1, 0, null, new FaultEvent(restartAt, FaultKind.RestartNode, victim.Index)));
        if (_profile.WipeChurn)
        {
            // Hunting: the leader reboots once the delayed answers have arrived; if it counted one, an entry it
            // committed on the strength of it lives on the leader alone.
            long rebootAt = _now + (55 + pick.Next(20)) * _profile.StepsPerTick;
            Schedule(rebootAt, new SimEvent(SimEventKind.Fault, -1, 0, null, new FaultEvent(rebootAt, FaultKind.RebootNode, leader.Index)));
        }
    }

    private int _wipesWhileLogsDiffer;
    private readonly HashSet<(int Node, int Generation)> _wipedGenerations = new();

    private readonly List<SimEvent> _staleAnswers = new();
    private SimNode? _staleAnswersLeader;
    private SimNode? _staleAnswersVictim;
    private bool _staleAnswersUnguarded;
    private long _staleAnswersUntil;

    /// <summary>An answer from a wiped node's previous life is held back until the leader found the loss.</summary>
    private bool DeferAnswerOfWipedLife(SimEvent e)
    {
        if (e.Generation < 0 || !_wipedGenerations.Contains((IndexOf(e.Message!.From), e.Generation))) return false;
        _staleAnswers.Add(e with { Generation = -1 });
        return true;
    }

    /// <summary>
    /// Every tick after a wipe: once the leader has found that the victim lost its log (its match for the victim fell to
    /// 0), or stopped leading, or 5 s passed, the held answers arrive (at once: a follower still catching up is when a
    /// counted stale answer would do harm), unless the leader had no match for the victim at the wipe.
    /// </summary>
    private void ReleaseStaleAnswers()
    {
        if (_staleAnswersLeader is not { } leader) return;
        bool found = leader.Alive && leader.Core!.SoftState.Role == RaftRole.Leader && leader.Core.MatchForTesting(_staleAnswersVictim!.Id) == 0;
        bool leading = leader.Alive && leader.Core!.SoftState.Role == RaftRole.Leader;
        if (!found && leading && _now < _staleAnswersUntil)
        {
            Schedule(_now + _profile.StepsPerTick, new SimEvent(SimEventKind.WipeCheck, -2, 0, null, null));
            return;
        }
        // A leader that never counted the victim (it just took over) cannot find the loss: its match stays 0, so its guard
        // never arms, and an answer acknowledging entries the wipe destroyed would count. Such answers are lost instead
        // (the network may always lose a packet). Found by BrokerHunting seed 421 (a wipe right after an election).
        if (!_staleAnswersUnguarded)
        {
            foreach (var e in _staleAnswers) Schedule(_now + 1 + _random.Next(3), e);
        }
        _staleAnswers.Clear();
        _staleAnswersLeader = null;
    }

    /// <summary>
    /// Only members, and once the configuration changed only learners: a wiped voter reverts to its bootstrap
    /// configuration and, holding only a prefix of the log without the later configurations, could elect itself with
    /// an outdated majority (a group grown from one node). Operators re-add such a node as a new learner instead.
    /// </summary>
    private static bool MayWipe(SimNode leader, SimNode victim)
    {
        Membership membership = leader.Core!.Membership;
        return membership.Contains(victim.Id) && (leader.Core.MembershipIndex == 0 || membership.IsLearner(victim.Id));
    }

    /// <summary>Every node but the victim is up and holds the leader's entries up to the highest known commit index.</summary>
    private bool OthersHoldEverythingCommitted(SimNode leader, SimNode victim)
    {
        // Not the commit indexes nodes know now: a leader that committed and then crashed took its knowledge along.
        long commit = _leaderCompleteness.HighestCommit;
        var leaderLog = leader.Log!;
        if (commit > leaderLog.LastIndex || commit < leaderLog.FirstIndex - 1) return false;
        long term = leader.WithoutDiskFaults(() => leaderLog.TermAt(commit));
        foreach (SimNode node in Members())
        {
            if (node == victim || node == leader) continue;
            if (!node.Alive) return false;
            var log = node.Log!;
            if (log.LastIndex < commit || commit < log.FirstIndex - 1 || node.WithoutDiskFaults(() => log.TermAt(commit)) != term) return false;
        }
        return true;
    }

    private static HardState HardStateOf(SimNode node) =>
        node.WithoutDiskFaults(() => new HardStateFile(node.StorePath, node.Disk).Load());
}
