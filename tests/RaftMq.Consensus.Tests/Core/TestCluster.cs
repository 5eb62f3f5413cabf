using RaftMq.Consensus.Core;
using RaftMq.Consensus.Tests.Simulation;

namespace RaftMq.Consensus.Tests.Core;

/// <summary>
/// A hand-driven group for scenario tests: nodes tick only when told, messages wait in one FIFO queue until
/// delivered, and filters drop messages (partitions, targeted losses). Each node runs the runtime loop
/// (persist -> send -> apply -> Advance) synchronously after every step.
/// </summary>
internal sealed class TestCluster
{
    private readonly Dictionary<string, TestNode> _nodes = new();
    private readonly Queue<Message> _inFlight = new();
    private readonly List<Func<Message, bool>> _dropRules = new();
    private readonly Func<string, RaftOptions, RaftOptions> _configure;
    private readonly PlantedBugs _bugs;
    private int _seed = 7;

    public TestCluster(int size, Func<string, RaftOptions, RaftOptions>? configure = null, PlantedBugs bugs = PlantedBugs.None)
    {
        Ids = Enumerable.Range(1, size).Select(i => "n" + i).ToArray();
        _configure = configure ?? ((_, options) => options);
        _bugs = bugs;
        foreach (string id in Ids) _nodes[id] = new TestNode(id);
    }

    public string[] Ids { get; }

    /// <summary>A node that joins later: it starts with an empty log and the bootstrap peers plus itself (what an
    /// operator would put in its dLegerPeers); the group's configuration in the log decides once it receives it.</summary>
    public TestNode AddNode(string id)
    {
        var node = new TestNode(id) { BootstrapPeers = [.. Ids, id] };
        _nodes[id] = node;
        Restart(id);
        return node;
    }

    /// <summary>Every message that was delivered, in order (for counting round trips).</summary>
    public List<Message> Delivered { get; } = new();

    /// <summary>Every message any node sent (delivered or not).</summary>
    public List<Message> Sent { get; } = new();

    public TestNode this[string id] => _nodes[id];

    public IEnumerable<TestNode> Nodes => _nodes.Values;

    /// <summary>Seeds a node's durable state before it starts (entries get consecutive positions).</summary>
    public void Preload(string id, long term, params long[] entryTerms)
    {
        TestNode node = _nodes[id];
        node.HardState = new HardState(term, null, 0);
        long pos = 0;
        var entries = new List<LogEntry>();
        for (int i = 0; i < entryTerms.Length; i++)
        {
            var entry = new LogEntry(i + 1, entryTerms[i], pos, EntryType.Normal, new byte[] { (byte)entryTerms[i], (byte)(i + 1) });
            pos = entry.EndPos;
            entries.Add(entry);
        }
        node.Log.Append(entries);
    }

    public TestCluster Start()
    {
        foreach (string id in Ids) Restart(id);
        return this;
    }

    /// <summary>(Re)starts a node from its durable state; <paramref name="applied"/> is its state machine's applied index.</summary>
    public void Restart(string id, long applied = 0)
    {
        TestNode node = _nodes[id];
        var options = new RaftOptions { SelfId = id, Peers = node.BootstrapPeers ?? Ids, ElectionTicks = 10, HeartbeatTicks = 1 };
        node.Core = new RaftCore(_configure(id, options), node.Log, node.HardState, new SeededRandomSource(_seed++), _bugs, applied);
        node.Applied.Clear();
        Process(node);
    }

    /// <summary>Stops a node; the others see its connections close (ReportUnreachable), as with TCP.</summary>
    public void Crash(string id)
    {
        _nodes[id].Core = null;
        foreach (TestNode other in _nodes.Values)
        {
            if (other.Core is null) continue;
            other.Core.ReportUnreachable(id);
            Process(other);
        }
    }

    /// <summary>The operator procedure for a corrupt log: stop the node, delete its log, restart it with its hard state.</summary>
    public void WipeLogAndRestart(string id)
    {
        Crash(id);
        _nodes[id].Log.Wipe();
        Restart(id);
    }

    public void Drop(Func<Message, bool> rule) => _dropRules.Add(rule);

    public void HealAll() => _dropRules.Clear();

    /// <summary>Cuts every link between <paramref name="id"/> and the others (both directions).</summary>
    public Func<Message, bool> Isolate(string id)
    {
        Func<Message, bool> rule = m => m.From == id || m.To == id;
        _dropRules.Add(rule);
        return rule;
    }

    public void Heal(Func<Message, bool> rule) => _dropRules.Remove(rule);

    public void Tick(string id, int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            TestNode node = _nodes[id];
            if (node.Core is null) return;
            node.Core.Tick();
            Process(node);
        }
    }

    /// <summary>Ticks every live node once per round, delivering all messages after each round.</summary>
    public void TickAll(int rounds)
    {
        for (int round = 0; round < rounds; round++)
        {
            foreach (TestNode node in _nodes.Values)
            {
                if (node.Core is null) continue;
                node.Core.Tick();
                Process(node);
            }
            DeliverAll();
        }
    }

    /// <summary>Delivers queued messages (and the ones they cause) until the queue is empty.</summary>
    public void DeliverAll()
    {
        for (int guard = 0; _inFlight.Count > 0; guard++)
        {
            if (guard > 100_000) throw new InvalidOperationException("messages never settle");
            Message message = _inFlight.Dequeue();
            if (!_nodes.TryGetValue(message.To, out TestNode? target)) continue;
            if (target.Core is null || _dropRules.Any(rule => rule(message))) continue;
            Delivered.Add(message);
            target.Core.Step(message);
            Process(target);
        }
    }

    /// <summary>Delivers <paramref name="message"/> right now, bypassing the queue (a late duplicate, say).</summary>
    public void Inject(Message message)
    {
        TestNode target = _nodes[message.To];
        target.Core!.Step(message);
        Process(target);
    }

    public ProposeResult Propose(string id, string payload)
    {
        TestNode node = _nodes[id];
        ProposeResult result = node.Core!.Propose(new ReadOnlyMemory<byte>[] { System.Text.Encoding.UTF8.GetBytes(payload) });
        Process(node);
        return result;
    }

    public MembershipChangeResult ProposeMembership(string id, Func<Membership, Membership> change)
    {
        TestNode node = _nodes[id];
        MembershipChangeResult result = node.Core!.ProposeMembership(change(node.Core.Membership));
        Process(node);
        return result;
    }

    public TestNode? Leader => _nodes.Values.Where(n => n.Core?.SoftState.Role == RaftRole.Leader)
        .OrderByDescending(n => n.Core!.SoftState.Term).FirstOrDefault();

    /// <summary>Lets <paramref name="id"/> time out alone (others do not tick) and delivers the election.</summary>
    public void Elect(string id)
    {
        for (int i = 0; i < 40 && _nodes[id].Core!.SoftState.Role != RaftRole.Leader; i++)
        {
            Tick(id);
            DeliverAll();
        }
        if (_nodes[id].Core!.SoftState.Role != RaftRole.Leader) throw new InvalidOperationException($"{id} did not win an election");
    }

    private void Process(TestNode node)
    {
        RaftCore core = node.Core!;
        while (core.HasReady)
        {
            Ready ready = core.GetReady();
            if (ready.HardState is { } hardState) node.HardState = hardState;
            if (ready.Snapshot is { } snapshot)
            {
                node.Log.InstallSnapshot(snapshot);
                node.SnapshotsInstalled.Add(snapshot);
            }
            node.Log.Append(ready.Entries);
            foreach (Message message in ready.Messages)
            {
                Sent.Add(message);
                _inFlight.Enqueue(message);
            }
            node.Applied.AddRange(ready.CommittedEntries);
            core.Advance(ready);
        }
    }
}

internal sealed class TestNode(string id)
{
    public string Id { get; } = id;
    public MemoryRaftLog Log { get; } = new();
    public HardState HardState { get; set; } = HardState.Empty;
    public RaftCore? Core { get; set; }
    public List<LogEntry> Applied { get; } = new();
    public List<Snapshot> SnapshotsInstalled { get; } = new();

    public SoftState State => Core!.SoftState;

    /// <summary>Peers of a node added after the start (null: the cluster's initial ids).</summary>
    public string[]? BootstrapPeers { get; init; }

    public IEnumerable<string> AppliedPayloads => Applied
        .Where(e => e.Type == EntryType.Normal)
        .Select(e => System.Text.Encoding.UTF8.GetString(e.Body.Span));
}
