namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// The "wipe a follower's log but keep its hard state" fault: the operator procedure for a corrupt log
/// (docs/operations/corrupt-log.md), or a corrupt log that opens as empty. The leader that knew the follower
/// must notice the loss and catch it up again (entries, or the snapshot once it compacted).
/// </summary>
/// <remarks>
/// Safety rule. Raft assumes acknowledged entries stay on disk, so a wipe is only harmless while nobody needs
/// the wiped entries: the node keeps its term and vote (it cannot vote twice), but it now votes as if its log
/// were empty, and the leader may still count acknowledgements it sent before the wipe. With three nodes, a
/// committed entry may live only on the wiped node and one other, and a candidate lacking it could then win. So
/// the fault is armed and fires only at a moment when every node's durable log is identical (same last index
/// and term, hence the same entries by log matching) and a leader exists: every entry the victim ever
/// acknowledged is then on all the others. One follower (a minority) is wiped at a time, and the next wipe
/// waits until the logs are identical again, that is until the wiped node caught up.
/// </remarks>
internal sealed partial class Simulation
{
    private bool _wipeArmed;

    private void ArmWipeFollower(FaultEvent fault)
    {
        if (_wipeArmed) return;
        _wipeArmed = true;
        Schedule(_now + _profile.StepsPerTick, new SimEvent(SimEventKind.WipeCheck, -1, 0, null, null, fault));
    }

    /// <summary>Checked every tick while armed: wipes a follower as soon as the safety rule allows it.</summary>
    private void TryWipeFollower(SimEvent check)
    {
        if (_liveness is not null)
        {
            _wipeArmed = false;
            return;
        }
        SimNode? leader = CurrentLeader();
        if (leader is null || !AllDurableLogsIdentical())
        {
            Schedule(_now + _profile.StepsPerTick, check);
            return;
        }
        _wipeArmed = false;
        var pick = new Random(check.Fault!.Pick);
        SimNode victim = PickNode(pick, n => n != leader)!;
        Trace($"wipe {victim.Id}'s log (keeping hard state term {victim.HardState.Term}, vote {victim.HardState.VotedFor ?? "-"}); leader {leader.Id}");
        Crash(victim);
        victim.Log.Wipe();
        long restartAt = _now + (1 + pick.Next(30)) * _profile.StepsPerTick;
        Schedule(restartAt, new SimEvent(SimEventKind.Fault, -1, 0, null, null, new FaultEvent(restartAt, FaultKind.RestartNode, victim.Index)));
    }

    private bool AllDurableLogsIdentical()
    {
        MemoryRaftLog first = _nodes[0].Log;
        long lastTerm = first.TermAt(first.LastIndex);
        foreach (SimNode node in _nodes)
        {
            if (!node.Alive) return false;
            MemoryRaftLog log = node.Log;
            if (log.LastIndex != first.LastIndex || log.TermAt(log.LastIndex) != lastTerm) return false;
        }
        return true;
    }
}
