using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Consensus.Runtime;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// Configuration changes as faults: the current leader proposes adding a spare as a learner (often marked for automatic
/// promotion), promoting a learner, removing a voter (sometimes itself), removing a learner, or replacing a voter (add
/// a spare marked for promotion now, remove the old voter a few seconds later). A spare is started when it is added,
/// with the group's configuration as its bootstrap, and each spare joins once. Removed nodes keep running (and keep
/// being crashed and partitioned): they must not disturb the group. Checkers that need every node to hold the whole
/// committed sequence look at the members of the leader's configuration.
/// </summary>
internal sealed partial class Simulation
{
    private const int MaxNodes = 7;
    private const int MaxSpares = 3;

    private int _membershipChanges;

    /// <summary>The nodes in the configuration of the current leader (or every started node while there is none).</summary>
    private IReadOnlyList<SimNode> Members()
    {
        Membership? membership = CurrentLeader()?.Core!.Membership;
        return membership is null ? _nodes.Where(n => n.Provisioned).ToArray() : _nodes.Where(n => membership.Contains(n.Id)).ToArray();
    }

    private void ChangeMembership(Random pick)
    {
        SimNode? leader = CurrentLeader();
        if (leader is null) return;
        Membership current = leader.Core!.Membership;
        int roll = pick.Next(100);
        SimNode? spare = _nodes.FirstOrDefault(n => !n.Provisioned && !n.Reserved);
        Member? learner = current.Learners.Count == 0 ? null : current.Learners[pick.Next(current.Learners.Count)];
        Member? voter = current.Voters.Count < 2 ? null : current.Voters[pick.Next(current.Voters.Count)];
        if (roll < 30 && spare is not null)
        {
            Add(leader, spare, promote: pick.Next(3) > 0);
        }
        else if (roll < 50 && learner is not null)
        {
            ProposeChange(leader, $"promote {learner.Id}", m => m.Promote(learner.Id));
        }
        else if (roll < 75 && voter is not null)
        {
            ProposeChange(leader, $"remove voter {voter.Id}{(voter.Id == leader.Id ? " (the leader)" : "")}", m => m.Remove(voter.Id));
        }
        else if (roll < 85 && learner is not null)
        {
            ProposeChange(leader, $"remove learner {learner.Id}", m => m.Remove(learner.Id));
        }
        else if (spare is not null && voter is not null)
        {
            // Replace: the old voter goes once the new one could have caught up (retried while a change is in flight).
            Add(leader, spare, promote: true, then: () =>
            {
                long at = _now + (3 + pick.Next(8)) * _profile.StepsPerSecond;
                Schedule(at, new SimEvent(SimEventKind.Fault, -1, 0, null, new FaultEvent(at, FaultKind.RemoveMember, IndexOf(voter.Id))));
            });
        }
    }

    /// <summary>Adds <paramref name="spare"/> as a learner; once the leader appended it, starts the spare with the new
    /// configuration as its bootstrap.</summary>
    private void Add(SimNode leader, SimNode spare, bool promote, Action? then = null)
    {
        Membership next = leader.Core!.Membership.AddLearner(spare.Id, "", promote);
        // Reserved now, so that no second add picks it meanwhile; not startable (by restarts and the heal phase) before
        // it has the configuration to start with.
        spare.Reserved = true;
        ProposeChange(leader, $"add learner {spare.Id}{(promote ? " (promote when caught up)" : "")}", _ => next, accepted =>
        {
            spare.Reserved = false;
            if (!accepted) return;
            spare.Provisioned = true;
            spare.Bootstrap = next;
            Schedule(_now, new SimEvent(SimEventKind.Fault, -1, 0, null, new FaultEvent(_now, FaultKind.RestartNode, spare.Index)));
            then?.Invoke();
        });
    }

    private void RemoveMemberLater(FaultEvent fault)
    {
        string id = _nodes[fault.Pick].Id;
        SimNode? leader = CurrentLeader();
        if (leader is not null && !leader.Core!.Membership.Contains(id)) return;
        if (leader is null)
        {
            RetryLater(fault);
            return;
        }
        ProposeChange(leader, $"replace: remove {id}", m => m.Remove(id), accepted =>
        {
            if (!accepted) RetryLater(fault);
        });
    }

    private void RetryLater(FaultEvent fault)
    {
        if (_liveness is not null) return;
        long at = _now + _profile.StepsPerSecond;
        Schedule(at, new SimEvent(SimEventKind.Fault, -1, 0, null, fault with { AtStep = at }));
    }

    /// <summary>Proposes on the leader's loop (as RaftNode.ChangeMembershipAsync does), where a disk fault halts the node.</summary>
    private void ProposeChange(SimNode leader, string what, Func<Membership, Membership> change, Action<bool>? done = null)
    {
        leader.Enqueue(new ControlItem(ControlKind.Work, Work: new LoopWork(() =>
        {
            MembershipChangeResult result;
            long index;
            try
            {
                (result, index) = leader.Driver!.ProposeMembership(change);
            }
            catch (Exception e) when (e is LogCorruptedException or IOException)
            {
                // A disk fault while reading the log: the production loop halts the node on it.
                leader.Driver!.Halt(e);
                return;
            }
            Trace($"{leader.Id} proposes {what}: {result}{(result == MembershipChangeResult.Accepted ? $" at index {index}" : "")}");
            if (result == MembershipChangeResult.Accepted) _membershipChanges++;
            done?.Invoke(result == MembershipChangeResult.Accepted);
        })));
        RequestRound(leader);
    }
}
