using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;
using RaftMq.Consensus.Tests.Simulation.Checkers;
using RaftMq.Consensus.Tests.Simulation.Storage;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// One deterministic run: the production node driver (<see cref="NodeDriver"/> around <see cref="RaftCore"/>, the
/// real segmented log, hard-state file, checkpoint and snapshot store) on simulated disks, virtual time, a faulty
/// network, crashes, pauses, disk faults and client proposals, all driven by one seeded <see cref="Random"/>; the
/// same seed replays the same run event for event. Checkers throw <see cref="SimulationViolationException"/>; any
/// other exception is a failure of the schedule too.
/// </summary>
internal sealed partial class Simulation
{
    private readonly int _seed;
    private readonly SimulationProfile _profile;
    private readonly Random _random;
    private readonly SimNode[] _nodes;
    private readonly string[] _peers;

    /// <summary>The group's bootstrap voters (the first nodes); the others are spares that membership changes add.</summary>
    private readonly string[] _initialPeers;
    private readonly SimNetwork _network;
    private readonly PriorityQueue<SimEvent, long> _queue = new();
    private readonly List<string>? _trace;
    private readonly string? _preferredLeader;
    private long _sequence;
    private long _now;
    private long _messages;
    private long _nextProposalId = 1;
    private readonly int _maxInflight;
    private readonly int _maxAppendBytes;
    private readonly long _segmentSize;
    private readonly long _recoveryVerifyBytes;
    private int _halts;
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly AppliedHistory _history = new();
    private readonly ElectionSafetyChecker _electionSafety = new();
    private readonly StateMachineSafetyChecker _stateMachineSafety;
    private readonly AppliedPrefixChecker _appliedPrefix;
    private readonly LeaderCompletenessChecker _leaderCompleteness;
    private readonly LogMatchingChecker _logMatching = new();
    private readonly DurabilityChecker _durability;
    private readonly StabilityChecker _stability;
    private readonly PersistBeforeApplyChecker _persistBeforeApply;
    private LivenessChecker? _liveness;
    private readonly LeadershipStabilityChecker? _leadership;
    private readonly ConsumeQueueChecker? _consumeQueues;

    private int _brokerRecoveries;
    private readonly BrokerRecoveryChecker _brokerRecovery = new();

    private Simulation(int seed, SimulationProfile profile, List<string>? trace)
    {
        _seed = seed;
        _profile = profile;
        _random = new Random(seed);
        _trace = trace;
        int members = profile.Nodes > 0 ? profile.Nodes : PickGroupSize(_random);
        // Spares only when membership changes run, so that other profiles draw the same random numbers as before.
        int nodes = profile.MembershipChurn ? Math.Min(MaxNodes, members + MaxSpares) : members;
        _peers = new string[nodes];
        _nodes = new SimNode[nodes];
        for (int i = 0; i < nodes; i++)
        {
            _peers[i] = "n" + i;
            _nodes[i] = new SimNode(i, _peers[i], new SimFileSystem(new Random(_random.Next()), () => Epoch.AddSeconds(_now / (double)_profile.StepsPerSecond)))
            {
                Provisioned = i < members,
            };
        }
        _initialPeers = _peers[..members];
        _segmentSize = new long[] { 256, 1024, 4096 }[_random.Next(3)];
        _recoveryVerifyBytes = _random.Next(2) == 0 ? 512 : long.MaxValue / 4;
        _preferredLeader = _random.Next(4) == 0 ? _peers[_random.Next(members)] : null;
        // A hand-over to the preferred leader is a planned leader change the stability checker would have to excuse.
        if (profile.CheckLeadershipStability) _preferredLeader = null;
        _maxInflight = profile.MaxInflightChoices[_random.Next(profile.MaxInflightChoices.Count)];
        _maxAppendBytes = profile.MaxAppendBytesChoices[_random.Next(profile.MaxAppendBytesChoices.Count)];
        _network = new SimNetwork(nodes);
        // Half the runs (and every transfer hunt) start lossless, so the stability checker has calm windows to watch.
        _network.SetQuality(profile.TransferChurn || _random.Next(2) == 0 ? 0 : 0.01, 0.01, 1, 4);
        _stateMachineSafety = new StateMachineSafetyChecker(_history);
        _appliedPrefix = new AppliedPrefixChecker(_history);
        _leaderCompleteness = new LeaderCompletenessChecker(_history);
        _durability = new DurabilityChecker(_history, profile.BrokerStateMachine ? Broker.BrokerSimMachine.ProposalIdOf : null);
        if (profile.BrokerStateMachine)
        {
            _consumeQueues = new ConsumeQueueChecker();
        }
        _persistBeforeApply = new PersistBeforeApplyChecker(_segmentSize);
        _stability = new StabilityChecker(profile.StabilityBoundTicks * (long)profile.StepsPerTick, profile.StepsPerSecond);
        if (profile.CheckLeadershipStability)
        {
            // Two maximum election timeouts: no fault that ended earlier can still explain a leader change.
            _leadership = new LeadershipStabilityChecker(nodes, 4L * profile.ElectionTicks * profile.StepsPerTick, profile.StepsPerSecond);
        }
    }

    /// <summary>3 and 5 mostly; 1, 2 and 4 too (membership changes pass through even sizes).</summary>
    private static int PickGroupSize(Random random) => random.Next(10) switch
    {
        0 => 1,
        1 => 2,
        2 => 4,
        < 7 => 3,
        _ => 5,
    };

    public static SimulationResult Run(int seed, SimulationProfile profile, List<string>? trace = null)
    {
        var simulation = new Simulation(seed, profile, trace);
        string? violation = null;
        try
        {
            simulation.Execute();
        }
        catch (Exception) when (simulation.CloseBrokers())
        {
            throw; // never: the filter only cleans up, then the handlers below classify the exception
        }
        catch (SimulationViolationException e)
        {
            violation = e.Message;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("consensus invariant violated", StringComparison.Ordinal))
        {
            violation = "core invariant: " + e.Message;
        }
        catch (Exception e)
        {
            // Whatever the cause (a log refusing an append, a bad cast), it fails this schedule, not the batch.
            violation = $"unexpected {e.GetType().Name}: {e.Message}";
            simulation.Trace(e.ToString());
        }
        simulation.CloseBrokers();
        if (violation is not null) simulation.Trace("VIOLATION " + violation);
        return new SimulationResult(seed, violation, simulation._now / (double)profile.StepsPerSecond,
            simulation._electionSafety.Leaders, (int)simulation._history.LastIndex, simulation._messages)
        {
            Nodes = simulation._initialPeers.Length,
            MembershipChanges = simulation._membershipChanges,
            BrokerUnitsChecked = simulation._consumeQueues?.Units ?? 0,
            BrokerRecoveries = simulation._brokerRecoveries,
            BrokerQueueDrops = simulation._consumeQueues?.Drops ?? 0,
            Halts = simulation._halts,
            DiskFaults = simulation._nodes.Sum(n => n.Disk.InjectedFaults),
            TransfersWatched = simulation._stability.TransfersWatched,
            ExcusedLeaderChanges = simulation._leadership?.ExcusedChanges ?? 0,
        };
    }

    private void Execute()
    {
        foreach (SimNode node in _nodes)
        {
            if (node.Provisioned) StartNode(node);
        }
        UpdateHealth();
        long healAt = _profile.FaultSeconds * _profile.StepsPerSecond;
        foreach (FaultEvent fault in FaultPlan.Generate(_random, _profile))
        {
            Schedule(fault.AtStep, new SimEvent(SimEventKind.Fault, -1, 0, null, fault));
        }
        Schedule(healAt, new SimEvent(SimEventKind.Fault, -1, 0, null, new FaultEvent(healAt, FaultKind.HealEverything, 0)));
        ScheduleProposal();
        Schedule(10 * _profile.StepsPerSecond, new SimEvent(SimEventKind.Check, -1, 0, null, null));

        while (_queue.TryDequeue(out SimEvent next, out long priority))
        {
            _now = priority >> 32;
            Dispatch(next);
            if (_liveness is not null)
            {
                if (_liveness.Done) break;
                _liveness.Check(_now);
            }
        }
        _logMatching.Check(_nodes);
        _durability.CheckNothingLost(Members());
        _stability.Check();
        _consumeQueues?.Check(_nodes);
    }

    /// <summary>Closes the broker state machines (their files live on the simulated disks); false, so that it can run in an exception filter.</summary>
    private bool CloseBrokers()
    {
        foreach (SimNode node in _nodes)
        {
            node.Broker?.Dispose();
            node.Broker = null;
        }
        return false;
    }

    private void Dispatch(SimEvent e)
    {
        switch (e.Kind)
        {
            case SimEventKind.Deliver:
                Deliver(_nodes[e.Node], e);
                break;
            case SimEventKind.Tick:
                TickNode(_nodes[e.Node], e.Generation);
                break;
            case SimEventKind.RoundDone:
                FinishRound(_nodes[e.Node], e);
                break;
            case SimEventKind.Round:
                RunRound(_nodes[e.Node], e.Generation);
                break;
            case SimEventKind.Fault:
                ApplyFault(e.Fault!);
                UpdateHealth();
                break;
            case SimEventKind.Propose:
                ProposeFromClient();
                break;
            case SimEventKind.Probe:
                ProbeLiveness();
                break;
            case SimEventKind.WipeCheck:
                TryWipeFollower(e);
                break;
            case SimEventKind.Check:
                _logMatching.Check(_nodes);
                _consumeQueues?.Check(_nodes);
                if (_liveness is null) Schedule(_now + 10 * _profile.StepsPerSecond, e);
                break;
        }
    }

    private void Schedule(long atStep, SimEvent e) => _queue.Enqueue(e, (atStep << 32) | (_sequence++ & 0xFFFFFFFF));

    private readonly bool _traceMessages = Environment.GetEnvironmentVariable("RAFTMQ_SIM_TRACE_MESSAGES") == "1";

    private static string Describe(Message m) =>
        $"{m.Type} {m.From}->{m.To} term {m.Term} log ({m.LogIndex},{m.LogTerm}) entries {m.Entries.Count}" +
        $"{(m.Entries.Count > 0 ? $" [{m.Entries[0].Index}..{m.Entries[^1].Index}]" : "")} commit {m.Commit} index {m.Index}" +
        $"{(m.Reject ? $" REJECT hint ({m.HintIndex},{m.HintTerm})" : "")}{(m.Transfer ? " transfer" : "")}";

    private void Trace(string line) => _trace?.Add($"[{_now / (double)_profile.StepsPerSecond,8:F2}s] {line}");

    private void Send(Message message)
    {
        _messages++;
        if (HoldForSlowPeer(message)) return;
        if (_random.NextDouble() < _network.DropRate) return;
        int to = IndexOf(message.To);
        // Generation: the sender's incarnation, so that answers of a wiped node's previous life can be recognised.
        int generation = _nodes[IndexOf(message.From)].Generation;
        Schedule(_now + Delay(), new SimEvent(SimEventKind.Deliver, to, generation, message, null));
        if (_random.NextDouble() < _network.DuplicateRate)
        {
            Schedule(_now + Delay(), new SimEvent(SimEventKind.Deliver, to, generation, message, null));
        }
    }

    private int Delay() => _network.MinDelaySteps + _random.Next(_network.MaxDelaySteps - _network.MinDelaySteps + 1);

    private int IndexOf(string id) => id[1] - '0';

    private void Deliver(SimNode node, SimEvent e)
    {
        if (!node.Alive) return;
        if (node.Paused)
        {
            node.Held.Add(e);
            return;
        }
        if (!_network.CanDeliver(IndexOf(e.Message!.From), node.Index)) return;
        if (DeferAnswerOfWipedLife(e)) return;
        if (_traceMessages) Trace("deliver " + Describe(e.Message));
        node.Enqueue(NodeInput.ForMessage(e.Message));
        RequestRound(node);
    }

    private void TickNode(SimNode node, int generation)
    {
        if (generation != node.Generation || !node.Alive) return;
        Schedule(_now + _profile.StepsPerTick, new SimEvent(SimEventKind.Tick, node.Index, generation, null, null));
        if (node.Paused) return;
        node.AddTick();
        RequestRound(node);
    }

    private SimNode? CurrentLeader()
    {
        SimNode? leader = null;
        foreach (SimNode node in _nodes)
        {
            if (!node.Running) continue;
            SoftState state = node.Core!.SoftState;
            if (state.Role == RaftRole.Leader && (leader is null || state.Term > leader.Core!.SoftState.Term)) leader = node;
        }
        return leader;
    }
}
