using System.Buffers.Binary;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;
using RaftMq.Consensus.Tests.Simulation.Checkers;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>Faults, client load, and the liveness phase after everything heals.</summary>
internal sealed partial class Simulation
{
    private readonly List<long> _probeProposals = new();
    private long _probeTerm = -1;
    private ValueTask<AppendOutcome>? _probe;
    private bool _crashAfterVote;
    private bool _crashLeaderMidWrite;

    private void ApplyFault(FaultEvent fault)
    {
        if (_liveness is not null) return; // everything has healed; the plan is over
        var pick = new Random(fault.Pick);
        int n = _nodes.Length;
        Trace($"fault {fault.Kind}");
        if (fault.Kind != FaultKind.TransferLeadership) _stability.OnDisturbance();
        switch (fault.Kind)
        {
            case FaultKind.PartitionMinority:
                var side = new bool[n];
                int[] order = Shuffled(pick);
                for (int i = 0; i < 1 + pick.Next((n - 1) / 2); i++) side[order[i]] = true;
                _network.Split(side);
                break;
            case FaultKind.OneWayLink:
                int from = pick.Next(n);
                _network.Block(from, (from + 1 + pick.Next(n - 1)) % n);
                break;
            case FaultKind.IsolateLeader:
                _network.Isolate((CurrentLeader() ?? _nodes[pick.Next(n)]).Index);
                break;
            case FaultKind.Bridge:
                Bridge(Shuffled(pick));
                break;
            case FaultKind.MajoritiesRing:
                if (n >= 5) _network.MajoritiesRing(Shuffled(pick));
                else Bridge(Shuffled(pick));
                break;
            case FaultKind.HealNetwork:
                _network.HealAll();
                break;
            default:
                ApplyNodeFault(fault, pick);
                break;
        }
    }

    private void ApplyNodeFault(FaultEvent fault, Random pick)
    {
        switch (fault.Kind)
        {
            case FaultKind.Crash:
                if (PickNode(pick, n => n.Alive) is { } victim) Crash(victim);
                break;
            case FaultKind.CrashLeader:
                if (CurrentLeader() is { } leader) Crash(leader);
                break;
            case FaultKind.Reboot:
                if (PickNode(pick, n => n.Alive) is { } rebooted) Reboot(rebooted, pick);
                break;
            case FaultKind.RebootLeader:
                if (CurrentLeader() is { } rebootedLeader) Reboot(rebootedLeader, pick);
                break;
            case FaultKind.RestartNode:
                if (!_nodes[fault.Pick].Alive)
                {
                    Trace($"restart {_nodes[fault.Pick].Id}");
                    StartNode(_nodes[fault.Pick]);
                }
                break;
            case FaultKind.RebootNode:
                if (_nodes[fault.Pick].Alive) Reboot(_nodes[fault.Pick], pick);
                break;
            case FaultKind.ArmCrashAfterVote:
                _crashAfterVote = true;
                break;
            case FaultKind.ArmCrashLeaderMidWrite:
                _crashLeaderMidWrite = true;
                break;
            case FaultKind.SlowDisk:
                // One node's disk (often the leader's) becomes slow: fsyncs take 50 ms to 0.5 s.
                SimNode? slow = (pick.Next(2) == 0 ? CurrentLeader() : null) ?? PickNode(pick, _ => true);
                if (slow is not null) slow.MaxDiskLatency = 5 + pick.Next(45);
                break;
            case FaultKind.FastDisk:
                foreach (SimNode node in _nodes) node.MaxDiskLatency = 3;
                break;
            case FaultKind.Restart:
                if (PickNode(pick, n => !n.Alive && n.Provisioned) is { } dead)
                {
                    Trace($"restart {dead.Id}");
                    StartNode(dead);
                }
                break;
            case FaultKind.Pause:
                if (PickNode(pick, n => n.Running) is { } sleeper) sleeper.Paused = true;
                break;
            case FaultKind.PauseLeader:
                if (CurrentLeader() is { } pausedLeader) pausedLeader.Paused = true;
                break;
            case FaultKind.Resume:
                if (PickNode(pick, n => n.Alive && n.Paused) is { } paused) Resume(paused);
                break;
            case FaultKind.BadNetwork:
                _network.SetQuality(0.05 + pick.NextDouble() * 0.2, pick.NextDouble() * 0.1, 1, 5 + pick.Next(25));
                break;
            case FaultKind.GoodNetwork:
                _network.SetQuality(pick.Next(2) == 0 ? 0 : pick.NextDouble() * 0.02, pick.NextDouble() * 0.02, 1, 4);
                break;
            case FaultKind.TransferLeadership:
                if (CurrentLeader() is { } current)
                {
                    string target = _peers[pick.Next(_peers.Length)];
                    if (target != current.Id && IsCalm()) _stability.OnCalmTransfer(_now);
                    current.Enqueue(new ControlItem(ControlKind.TransferLeadership, target));
                    RequestRound(current);
                }
                break;
            case FaultKind.FsyncFailure:
                if (PickNode(pick, n => n.Alive) is { } failing) failing.Disk.Faults.FsyncFailure = 0.02 + pick.NextDouble() * 0.2;
                break;
            case FaultKind.ReadCorruption:
                if (PickNode(pick, n => n.Alive) is { } rotting) rotting.Disk.Faults.ReadCorruption = 0.001 + pick.NextDouble() * 0.02;
                break;
            case FaultKind.DiskFull:
                if (PickNode(pick, n => n.Alive) is { } full) full.Disk.Faults.DiskFull = true;
                break;
            case FaultKind.HealDisks:
                foreach (SimNode node in _nodes) node.Disk.Faults.Clear();
                break;
            case FaultKind.WipeFollower:
                ArmWipeFollower(fault);
                break;
            case FaultKind.HealEverything:
                HealEverything();
                break;
            case FaultKind.SlowFollower:
                SimNode? leaderNow = CurrentLeader();
                MakeSlow(PickNode(pick, n => n.Running && n != leaderNow && !IsSlow(n)), pick);
                break;
            case FaultKind.SlowLeader:
                MakeSlow(CurrentLeader(), pick);
                break;
            case FaultKind.EndSlowPeer:
                EndSlowPeer(pick);
                break;
            case FaultKind.ChangeMembership:
                ChangeMembership(pick);
                break;
            case FaultKind.RemoveMember:
                RemoveMemberLater(fault);
                break;
        }
    }

    /// <summary>A crash followed by a quick restart (0.1-3 s): the window where unsynced state and votes matter.</summary>
    private void Reboot(SimNode node, Random pick)
    {
        Crash(node);
        long at = _now + (1 + pick.Next(30)) * _profile.StepsPerTick;
        Schedule(at, new SimEvent(SimEventKind.Fault, -1, 0, null, new FaultEvent(at, FaultKind.RestartNode, node.Index)));
    }

    /// <summary>Crash point: a node that just sent a granted vote reboots (is the vote durable?).</summary>
    private void MaybeCrashAfterVote(SimNode node, Message[] messages)
    {
        if (!_crashAfterVote) return;
        foreach (Message message in messages)
        {
            if (message.Type == MessageType.VoteResponse && !message.Reject)
            {
                _crashAfterVote = false;
                ScheduleReboot(node, _now);
                return;
            }
        }
    }

    /// <summary>Crash point: the leader dies while a disk write is in flight (is only durable state counted?).</summary>
    private void MaybeCrashLeaderMidWrite(SimNode node, int latency)
    {
        if (!_crashLeaderMidWrite || node.Core!.SoftState.Role != RaftRole.Leader) return;
        _crashLeaderMidWrite = false;
        ScheduleReboot(node, _now + _random.Next(latency));
    }

    private void ScheduleReboot(SimNode node, long at) =>
        Schedule(at, new SimEvent(SimEventKind.Fault, -1, 0, null, new FaultEvent(at, FaultKind.RebootNode, node.Index)));

    private void Bridge(int[] order)
    {
        // order[middle] talks to both halves; the halves cannot talk to each other.
        int half = order.Length / 2;
        for (int a = 0; a < half; a++)
        {
            for (int b = half + 1; b < order.Length; b++) _network.BlockBoth(order[a], order[b]);
        }
    }

    private void Resume(SimNode node)
    {
        node.Paused = false;
        foreach (SimEvent held in node.Held) Schedule(_now, held);
        node.Held.Clear();
        RequestRound(node);
    }

    /// <summary>Everything healthy: all nodes up and running, no link cut, a lossless network, fast disks.</summary>
    private bool IsCalm() =>
        _network.DropRate == 0 && !_network.AnyBlocked
        && _nodes.Where(n => n.Provisioned).All(n => n.Running && !n.Busy && n.MaxDiskLatency <= 3 && n.Disk.Faults is { FsyncFailure: 0, ReadCorruption: 0, DiskFull: false });

    private int[] Shuffled(Random pick)
    {
        var order = new int[_nodes.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        pick.Shuffle(order);
        return order;
    }

    private SimNode? PickNode(Random pick, Func<SimNode, bool> eligible)
    {
        var candidates = _nodes.Where(eligible).ToList();
        return candidates.Count == 0 ? null : candidates[pick.Next(candidates.Count)];
    }

    private void HealEverything()
    {
        Trace("heal everything");
        EndAllSlowPeers();
        _network.HealAll();
        _network.SetQuality(0, 0, 1, 4);
        foreach (SimNode node in _nodes)
        {
            node.MaxDiskLatency = 3;
            node.Disk.Faults.Clear();
            if (!node.Alive && node.Provisioned) StartNode(node);
            else if (node.Paused) Resume(node);
        }
        _liveness = new LivenessChecker(_now, _profile.LivenessBoundSeconds * _profile.StepsPerSecond, _profile.StepsPerSecond);
        Schedule(_now + _profile.StepsPerTick, new SimEvent(SimEventKind.Probe, -1, 0, null, null));
    }

    private void ScheduleProposal()
    {
        double meanSteps = _profile.StepsPerTick / _profile.ProposalsPerTick;
        Schedule(_now + 1 + _random.Next((int)(2 * meanSteps)), new SimEvent(SimEventKind.Propose, -1, 0, null, null));
    }

    /// <summary>A client sends a batch to the node it believes leads (sometimes to a random node).</summary>
    private void ProposeFromClient()
    {
        if (_liveness is not null) return;
        ScheduleProposal();
        SimNode? target = _random.Next(5) > 0 ? CurrentLeader() : _nodes[_random.Next(_nodes.Length)];
        if (target is null || !target.Running) return;
        var payloads = new ReadOnlyMemory<byte>[1 + _random.Next(3)];
        for (int i = 0; i < payloads.Length; i++) payloads[i] = NewPayload(_nextProposalId++);
        Propose(target, payloads);
    }

    private ReadOnlyMemory<byte> NewPayload(long id)
    {
        if (_profile.BrokerStateMachine)
        {
            // Probes (negative ids) must be messages: liveness waits to see them applied.
            return id > 0 && _random.Next(5) == 0 ? Broker.BrokerPayloads.Control(id, _random) : Broker.BrokerPayloads.Message(id, _random, _profile.PayloadExtraBytes);
        }
        var payload = new byte[8 + _random.Next(_profile.PayloadExtraBytes + 1)];
        BinaryPrimitives.WriteInt64BigEndian(payload, id);
        _random.NextBytes(payload.AsSpan(8));
        return payload;
    }

    /// <summary>After healing: propose a probe on the current leader (again after a leader change) until one commits.</summary>
    private void ProbeLiveness()
    {
        LivenessChecker liveness = _liveness!;
        Schedule(_now + _profile.StepsPerTick, new SimEvent(SimEventKind.Probe, -1, 0, null, null));
        if (liveness.CommittedAt is null)
        {
            foreach (long probe in _probeProposals)
            {
                if (_durability.WasApplied(probe)) liveness.OnProbeCommitted(_now);
            }
        }
        if (liveness.CommittedAt is not null)
        {
            if (Members().All(n => n.Alive && n.Driver!.AppliedIndex == _history.LastIndex)) liveness.OnAllCaughtUp(_now);
            return;
        }
        SimNode? leader = CurrentLeader();
        if (leader is null) return;
        liveness.OnLeader(_now);
        // A probe refused before it reached the log (NotLeader, Busy) is proposed again.
        if (_probe is { IsCompleted: true } done)
        {
            _probe = null;
            if (done.Result.Status is AppendStatus.NotLeader or AppendStatus.Busy) _probeTerm = -1;
        }
        if (leader.Core!.SoftState.Term == _probeTerm) return;
        long id = -(_probeProposals.Count + 1);
        _probeProposals.Add(id);
        _probeTerm = leader.Core.SoftState.Term;
        _probe = Propose(leader, new[] { NewPayload(id) });
    }

    /// <summary>A client append through the node's driver, as RaftNode.AppendAsync hands it to the loop.</summary>
    private ValueTask<AppendOutcome> Propose(SimNode node, ReadOnlyMemory<byte>[] payloads)
    {
        var source = PendingAppend.Rent();
        short version = source.Version;
        node.Enqueue(NodeInput.ForProposal(payloads, source, version, _now, _now + 30 * _profile.StepsPerSecond));
        RequestRound(node);
        return new ValueTask<AppendOutcome>(source, version);
    }
}
