using System.Buffers.Binary;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>Node lifecycle and the runtime loop each node runs: Ready -> persist -> send -> apply -> Advance.</summary>
internal sealed partial class Simulation
{
    private RaftOptions OptionsFor(SimNode node) => new()
    {
        SelfId = node.Id,
        Peers = _peers,
        ElectionTicks = _profile.ElectionTicks,
        HeartbeatTicks = _profile.HeartbeatTicks,
        // Small windows and messages (varied per seed) so that pipelining limits and batching are exercised.
        MaxInflightAppends = _maxInflight,
        MaxAppendBytes = _maxAppendBytes,
        MaxUncommittedBytes = 32 * 1024,
        PreferredLeaderId = _preferredLeader,
    };

    /// <summary>Starts (or restarts) a node from its durable state; the state machine is rebuilt from the log.</summary>
    private void StartNode(SimNode node)
    {
        node.Core = new RaftCore(OptionsFor(node), node.Log, node.HardState, new SeededRandomSource(_random.Next()), _profile.Bugs);
        node.Paused = false;
        node.DiskBusy = false;
        node.Held.Clear();
        node.AppliedIndex = node.Log.FirstIndex - 1;
        node.AppliedHash = node.Log.LatestSnapshot is { } snapshot ? BinaryPrimitives.ReadUInt64BigEndian(snapshot.Data.Span) : 0;
        node.HashAt.Clear();
        node.HashAt[node.AppliedIndex] = node.AppliedHash;
        node.LastLeaderTermSeen = -1;
        // Nodes tick out of phase with each other, as real timers do.
        Schedule(_now + 1 + _random.Next(_profile.StepsPerTick), new SimEvent(SimEventKind.Tick, node.Index, node.Generation, null, null, null));
        AfterChange(node);
    }

    private void Crash(SimNode node)
    {
        if (!node.Alive) return;
        Trace($"crash {node.Id} ({node.Core!.SoftState.Role}, term {node.Core.SoftState.Term})");
        node.Core = null;
        node.Generation++;
        node.DiskBusy = false;
        node.Paused = false;
        node.Held.Clear();
        foreach (SimNode other in _nodes)
        {
            // The others see the TCP connection close at once (if the link is up).
            if (other != node && other.Running && _network.CanDeliver(node.Index, other.Index))
            {
                other.Core!.ReportUnreachable(node.Id);
                AfterChange(other);
            }
        }
    }

    /// <summary>Runs the checkers that watch roles, then starts the next disk write if there is work.</summary>
    private void AfterChange(SimNode node)
    {
        if (!node.Running) return;
        RaftCore core = node.Core!;
        SoftState state = core.SoftState;
        _electionSafety.Observe(node.Id, state);
        if (_trace is not null && state != node.LastTracedState)
        {
            node.LastTracedState = state;
            Trace($"{node.Id} is {state.Role} in term {state.Term} (leader {state.LeaderId ?? "-"}, last index {core.LastIndex}, commit {core.CommitIndex})");
        }
        if (state.Role == RaftRole.Leader) _leaderCompleteness.OnLeaderCommit(state.Term, core.CommitIndex);
        if (state.Role == RaftRole.Leader && state.Term != node.LastLeaderTermSeen)
        {
            node.LastLeaderTermSeen = state.Term;
            Trace($"{node.Id} leads term {state.Term} (last index {core.LastIndex}, commit {core.CommitIndex})");
            _leaderCompleteness.OnNewLeader(node);
            _liveness?.OnLeader(_now);
        }
        while (!node.DiskBusy && core.HasReady)
        {
            Ready ready = core.GetReady();
            int latency = _random.Next(node.MaxDiskLatency + 1);
            if (latency > 0)
            {
                node.DiskBusy = true;
                Schedule(_now + latency, new SimEvent(SimEventKind.DiskDone, node.Index, node.Generation, null, ready, null));
                if (ready.Entries.Count > 0) MaybeCrashLeaderMidWrite(node, latency);
                return;
            }
            CompleteReady(node, ready);
        }
    }

    private void FinishDiskWrite(SimNode node, SimEvent e)
    {
        if (e.Generation != node.Generation || !node.Alive) return; // the write died with the process
        if (node.Paused)
        {
            node.Held.Add(e);
            return;
        }
        node.DiskBusy = false;
        CompleteReady(node, e.Ready!);
        AfterChange(node);
    }

    private void CompleteReady(SimNode node, Ready ready)
    {
        if (ready.HardState is { } hardState) node.HardState = hardState;
        if (ready.Snapshot is { } snapshot) RestoreSnapshot(node, snapshot);
        node.Log.Append(ready.Entries);
        foreach (Message message in ready.Messages) Send(message);
        MaybeCrashAfterVote(node, ready);
        foreach (LogEntry entry in ready.CommittedEntries) Apply(node, entry);
        RaftCore core = node.Core!;
        core.Advance(ready);
        if (core.SoftState.Role == RaftRole.Leader) _leaderCompleteness.OnLeaderCommit(core.SoftState.Term, core.CommitIndex);
        MaybeCompact(node);
    }

    private void RestoreSnapshot(SimNode node, Snapshot snapshot)
    {
        ulong hash = BinaryPrimitives.ReadUInt64BigEndian(snapshot.Data.Span);
        _appliedPrefix.OnSnapshotRestored(node, snapshot, hash);
        node.Log.InstallSnapshot(snapshot);
        node.AppliedIndex = snapshot.Index;
        node.AppliedHash = hash;
        node.HashAt.Clear();
        node.HashAt[snapshot.Index] = hash;
        Trace($"{node.Id} installed snapshot at {snapshot.Index}");
    }

    private void Apply(SimNode node, LogEntry entry)
    {
        _appliedPrefix.OnApply(node, entry);
        _stateMachineSafety.OnApply(node.Id, entry);
        _durability.OnApply(node, entry);
        node.AppliedIndex = entry.Index;
        node.AppliedHash = Checkers.AppliedHistory.Mix(node.AppliedHash, entry);
        node.HashAt[entry.Index] = node.AppliedHash;
    }

    /// <summary>Now and then a node snapshots its state machine and drops the log prefix it covers.</summary>
    private void MaybeCompact(SimNode node)
    {
        if (!_profile.Compaction || node.AppliedIndex - node.Log.FirstIndex < 150 || _random.Next(20) != 0) return;
        long target = node.AppliedIndex - _random.Next(40);
        var data = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(data, node.HashAt[target]);
        node.Log.Compact(target, data);
        var stale = new List<long>();
        foreach (long index in node.HashAt.Keys)
        {
            if (index < target) stale.Add(index);
        }
        foreach (long index in stale) node.HashAt.Remove(index);
    }
}
