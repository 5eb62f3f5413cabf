using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Consensus.Runtime;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// Node lifecycle and rounds. Each node runs the production <see cref="NodeDriver"/> over the real log store on its
/// simulated disk. A round's disk work takes a random virtual latency; its messages leave when it completes, and a
/// crash before then cuts the round's disk operations at a random point.
/// </summary>
internal sealed partial class Simulation
{
    private RaftOptions OptionsFor(SimNode node) => new()
    {
        SelfId = node.Id,
        Peers = node.Bootstrap is { } bootstrap ? bootstrap.Voters.Select(m => m.Id).ToArray() : _initialPeers,
        InitialMembership = node.Bootstrap,
        ElectionTicks = _profile.ElectionTicks,
        HeartbeatTicks = _profile.HeartbeatTicks,
        // Small windows and messages (varied per seed) so that pipelining limits and batching are exercised.
        MaxInflightAppends = _maxInflight,
        MaxAppendBytes = _maxAppendBytes,
        MaxInflightBytes = _profile.InflightAppendBytes * (long)_maxAppendBytes,
        MaxUncommittedBytes = 32 * 1024,
        // Pacing of far-behind followers kicks in after a short lag here, so that schedules run it under every fault.
        CatchUpLagEntries = 8,
        CatchUpRateMultiplier = 2,
        MinCatchUpBytesPerTick = _maxAppendBytes,
        PreferredLeaderId = _preferredLeader,
    };

    /// <summary>Starts (or restarts) a node from its disk: the real recovery, then the driver; the state machine is
    /// rebuilt from the log (and its snapshot).</summary>
    private void StartNode(SimNode node)
    {
        node.ForgetVolatileState();
        node.Disk.FaultsEnabled = false;
        var log = SegmentedLog.Open(new LogStoreOptions
        {
            StorePath = node.StorePath,
            SegmentSizeBytes = _segmentSize,
            IndexUnitsPerFile = 16,
            CachedRecentEntries = 8,
            RecoveryVerifyBytes = _recoveryVerifyBytes,
            FileSystem = node.Disk,
            Bugs = _profile.Bugs,
        }, NullLogger.Instance);
        var hardStateFile = new HardStateFile(node.StorePath, node.Disk);
        var machine = new SimStateMachine(node.Id, OnApply, OnRestore);
        IStateMachine applied = machine;
        if (_profile.BrokerStateMachine)
        {
            node.Broker = new Broker.BrokerSimMachine(node.Disk, node.BrokerPath, _profile.StoreBugs, machine,
                index => _history.Knows(index) ? _history.HashAt(index) : 0);
            applied = node.Broker;
            _brokerRecovery.OnStarted(node.Id, node.Broker.Store);
            if (node.Broker.AppliedIndex > 0)
            {
                _brokerRecoveries++;
                Trace($"{node.Id} broker state machine recovered at {node.Broker.AppliedIndex} from its checkpoint");
            }
        }
        var options = new NodeDriverOptions { Raft = OptionsFor(node), SyncFlush = true, StorePath = node.StorePath, Bugs = _profile.Bugs };
        node.Driver = new NodeDriver(options, log, hardStateFile, hardStateFile.Load(), applied, new SeededRandomSource(_random.Next()), node, NullLogger.Instance);
        node.Log = log;
        node.Machine = machine;
        node.Disk.CompleteRound();
        node.Disk.FaultsEnabled = true;
        if (log.IsCorrupt) Trace($"{node.Id} opened a CORRUPT log: {log.CorruptionReason}");
        // Nodes tick out of phase with each other, as real timers do.
        Schedule(_now + 1 + _random.Next(_profile.StepsPerTick), new SimEvent(SimEventKind.Tick, node.Index, node.Generation, null, null));
        RequestRound(node);
    }

    private void OnApply(string node, long applied, LogEntry entry)
    {
        SimNode applier = _nodes[IndexOf(node)];
        applier.Disk.MarkVisible();
        _persistBeforeApply.OnApply(node, applier.Disk, applier.StorePath, entry);
        _appliedPrefix.OnApply(node, applied, entry);
        _stateMachineSafety.OnApply(node, entry);
        _durability.OnApply(node, entry);
    }

    private void OnRestore(string node, long applied, Snapshot snapshot, ulong hash)
    {
        _appliedPrefix.OnSnapshotRestored(node, applied, snapshot, hash);
        Trace($"{node} restored snapshot at {snapshot.Index}");
    }

    /// <summary>Power loss: unsynced writes may be lost or torn; a round in flight is cut at a random operation.</summary>
    private void Crash(SimNode node)
    {
        if (!node.Alive) return;
        Trace($"crash {node.Id} ({node.Core!.SoftState.Role}, term {node.Core.SoftState.Term}{(node.Busy ? ", disk write in flight" : "")})");
        node.Disk.Crash(roundInFlight: node.Busy);
        node.ForgetVolatileState();
        foreach (SimNode other in _nodes)
        {
            // The others see the TCP connection close at once (if the link is up).
            if (other != node && other.Running && _network.CanDeliver(node.Index, other.Index))
            {
                other.Enqueue(new ControlItem(ControlKind.PeerDisconnected, node.Id));
                RequestRound(other);
            }
        }
    }

    /// <summary>Queues a round for this step (inputs arriving in the same step share it, as in the real loop).</summary>
    private void RequestRound(SimNode node)
    {
        if (node.RoundQueued || !node.Running || node.Busy) return;
        node.RoundQueued = true;
        Schedule(_now, new SimEvent(SimEventKind.Round, node.Index, node.Generation, null, null));
    }

    private void RunRound(SimNode node, int generation)
    {
        if (generation != node.Generation || !node.Alive) return;
        node.RoundQueued = false;
        if (node.Paused || node.Busy || !node.HasWork) return;
        NodeDriver driver = node.Driver!;
        int faultsBefore = node.Disk.InjectedFaults;
        try
        {
            driver.RunRound(node, _now);
            MaybeRunRetention(node);
            // The broker's checkpoint loop, at random moments: a later crash recovers from it and replays the rest.
            if (node.Broker is { } broker && _random.Next(8) == 0) broker.Store.WriteCheckpoint();
        }
        catch (Exception e) when (node.Disk.InjectedFaults > faultsBefore)
        {
            // The production loop halts on any exception; here only an injected disk fault may cause one.
            driver.Halt(e);
        }
        // Checkers read the log too; injected faults are for the node, not for them.
        node.Disk.FaultsEnabled = false;
        Observe(node);
        node.Disk.FaultsEnabled = true;
        if (node.HaltRequested)
        {
            Trace($"{node.Id} HALTED: {driver.HaltReason}");
            _halts++;
            ReleaseRound(node);
            if (node.Alive) RestartLater(node, "halted");
            return;
        }
        int latency = node.Disk.RoundOperations == 0 ? 0 : _random.Next(node.MaxDiskLatency + 1);
        latency += CpuSteps(node);
        if (latency == 0)
        {
            ReleaseRound(node);
            return;
        }
        node.Busy = true;
        Schedule(_now + latency, new SimEvent(SimEventKind.RoundDone, node.Index, node.Generation, null, null));
        MaybeCrashLeaderMidWrite(node, latency);
    }

    private void FinishRound(SimNode node, SimEvent e)
    {
        if (e.Generation != node.Generation || !node.Alive) return; // the write died with the process
        if (node.Paused)
        {
            node.Held.Add(e);
            return;
        }
        ReleaseRound(node);
    }

    /// <summary>The round's disk work is complete: its messages leave, and the next round may start.</summary>
    private void ReleaseRound(SimNode node)
    {
        node.Disk.CompleteRound();
        node.Busy = false;
        var messages = node.Outbox.ToArray();
        node.Outbox.Clear();
        foreach (Message message in messages) Send(message);
        MaybeCrashAfterVote(node, messages);
        RequestRound(node);
    }

    /// <summary>A halted node's process exits; a supervisor restarts it 1-3 s later.</summary>
    private void RestartLater(SimNode node, string why)
    {
        Crash(node);
        long at = _now + (10 + _random.Next(20)) * _profile.StepsPerTick;
        Trace($"{node.Id} {why}: restart at {at / (double)_profile.StepsPerSecond:F2}s");
        Schedule(at, new SimEvent(SimEventKind.Fault, -1, 0, null, new FaultEvent(at, FaultKind.RestartNode, node.Index)));
    }

    /// <summary>Checkers that watch roles, after every round.</summary>
    private void Observe(SimNode node)
    {
        RaftCore core = node.Core!;
        SoftState state = core.SoftState;
        _electionSafety.Observe(node.Id, state);
        _stability.Observe(_now, CurrentLeader() is not null);
        if (_leadership is not null)
        {
            UpdateHealth();
            _leadership.Observe(_now, node.Index, node.Id, state.Role == RaftRole.Leader, state.Term);
        }
        if (_trace is not null && state != node.LastTracedState)
        {
            node.LastTracedState = state;
            Trace($"{node.Id} is {state.Role} in term {state.Term} (leader {state.LeaderId ?? "-"}, last index {core.LastIndex}, commit {core.CommitIndex})");
        }
        if (state.Role != RaftRole.Leader) return;
        _leaderCompleteness.OnLeaderCommit(state.Term, core.CommitIndex);
        if (state.Term != node.LastLeaderTermSeen)
        {
            node.LastLeaderTermSeen = state.Term;
            Trace($"{node.Id} leads term {state.Term} (last index {core.LastIndex}, commit {core.CommitIndex})");
            _leaderCompleteness.OnNewLeader(node);
            _liveness?.OnLeader(_now);
        }
    }

    /// <summary>Now and then a node runs the real retention pass: snapshot at the applied index, old segments deleted.</summary>
    private void MaybeRunRetention(SimNode node)
    {
        SegmentedLog log = node.Log!;
        if (!_profile.Compaction || node.Driver!.AppliedIndex - log.FirstIndex < 60 || _random.Next(20) != 0) return;
        var result = node.Driver.RunRetention(DateTimeOffset.MaxValue, _segmentSize);
        if (result.DeletedSegments > 0) Trace($"{node.Id} retention: snapshot {result.SnapshotIndex}, {result.DeletedSegments} segments deleted, first index {result.FirstIndex}");
    }
}
