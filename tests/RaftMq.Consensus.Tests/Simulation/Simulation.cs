using RaftMq.Consensus.Core;
using RaftMq.Consensus.Tests.Simulation.Checkers;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// One deterministic run: real <see cref="RaftCore"/> instances, virtual time, a faulty network, crashes,
/// pauses and client proposals, all driven by one seeded <see cref="Random"/>; the same seed replays the
/// same run event for event. Checkers throw <see cref="SimulationViolationException"/>.
/// </summary>
internal sealed partial class Simulation
{
    private readonly int _seed;
    private readonly SimulationProfile _profile;
    private readonly Random _random;
    private readonly SimNode[] _nodes;
    private readonly string[] _peers;
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

    private readonly AppliedHistory _history = new();
    private readonly ElectionSafetyChecker _electionSafety = new();
    private readonly StateMachineSafetyChecker _stateMachineSafety;
    private readonly AppliedPrefixChecker _appliedPrefix;
    private readonly LeaderCompletenessChecker _leaderCompleteness;
    private readonly LogMatchingChecker _logMatching = new();
    private readonly DurabilityChecker _durability;
    private LivenessChecker? _liveness;

    private Simulation(int seed, SimulationProfile profile, List<string>? trace)
    {
        _seed = seed;
        _profile = profile;
        _random = new Random(seed);
        _trace = trace;
        int nodes = profile.Nodes > 0 ? profile.Nodes : (_random.Next(2) == 0 ? 3 : 5);
        _peers = new string[nodes];
        _nodes = new SimNode[nodes];
        for (int i = 0; i < nodes; i++)
        {
            _peers[i] = "n" + i;
            _nodes[i] = new SimNode(i, _peers[i]);
        }
        _preferredLeader = _random.Next(4) == 0 ? _peers[_random.Next(nodes)] : null;
        _maxInflight = profile.MaxInflightChoices[_random.Next(profile.MaxInflightChoices.Count)];
        _maxAppendBytes = profile.MaxAppendBytesChoices[_random.Next(profile.MaxAppendBytesChoices.Count)];
        _network = new SimNetwork(nodes);
        _network.SetQuality(0.01, 0.01, 1, 4);
        _stateMachineSafety = new StateMachineSafetyChecker(_history);
        _appliedPrefix = new AppliedPrefixChecker(_history);
        _leaderCompleteness = new LeaderCompletenessChecker(_history);
        _durability = new DurabilityChecker(_history);
    }

    public static SimulationResult Run(int seed, SimulationProfile profile, List<string>? trace = null)
    {
        var simulation = new Simulation(seed, profile, trace);
        string? violation = null;
        try
        {
            simulation.Execute();
        }
        catch (SimulationViolationException e)
        {
            violation = e.Message;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("consensus invariant violated", StringComparison.Ordinal))
        {
            violation = "core invariant: " + e.Message;
        }
        if (violation is not null) simulation.Trace("VIOLATION " + violation);
        return new SimulationResult(seed, violation, simulation._now / (double)profile.StepsPerSecond,
            simulation._electionSafety.Leaders, (int)simulation._history.LastIndex, simulation._messages);
    }

    private void Execute()
    {
        foreach (SimNode node in _nodes)
        {
            StartNode(node);
        }
        long healAt = _profile.FaultSeconds * _profile.StepsPerSecond;
        foreach (FaultEvent fault in FaultPlan.Generate(_random, _profile))
        {
            Schedule(fault.AtStep, new SimEvent(SimEventKind.Fault, -1, 0, null, null, fault));
        }
        Schedule(healAt, new SimEvent(SimEventKind.Fault, -1, 0, null, null, new FaultEvent(healAt, FaultKind.HealEverything, 0)));
        ScheduleProposal();
        Schedule(10 * _profile.StepsPerSecond, new SimEvent(SimEventKind.Check, -1, 0, null, null, null));

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
        _durability.CheckNothingLost(_nodes);
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
            case SimEventKind.DiskDone:
                FinishDiskWrite(_nodes[e.Node], e);
                break;
            case SimEventKind.Fault:
                ApplyFault(e.Fault!);
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
        if (_random.NextDouble() < _network.DropRate) return;
        int to = IndexOf(message.To);
        Schedule(_now + Delay(), new SimEvent(SimEventKind.Deliver, to, 0, message, null, null));
        if (_random.NextDouble() < _network.DuplicateRate)
        {
            Schedule(_now + Delay(), new SimEvent(SimEventKind.Deliver, to, 0, message, null, null));
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
        if (_traceMessages) Trace("deliver " + Describe(e.Message));
        node.Core!.Step(e.Message);
        AfterChange(node);
    }

    private void TickNode(SimNode node, int generation)
    {
        if (generation != node.Generation || !node.Alive) return;
        Schedule(_now + _profile.StepsPerTick, new SimEvent(SimEventKind.Tick, node.Index, generation, null, null, null));
        if (node.Paused) return;
        node.Core!.Tick();
        AfterChange(node);
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
