using System.Text;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;
using RaftMq.Consensus.Tests.Transport;

namespace RaftMq.Consensus.Tests.Runtime;

/// <summary>
/// An in-process Raft group on 127.0.0.1 (free ports), one store directory per node under a temp root. Nodes can be
/// stopped (their process "dies": sockets close, nothing is handed over), wiped and restarted from their directory.
/// </summary>
internal sealed class NodeGroup : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, RaftNode> _running = new(StringComparer.Ordinal);

    public NodeGroup(int size = 3, Func<ConsensusOptions, ConsensusOptions>? tune = null, RaftNodeSettings? settings = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "raftmq-runtime-tests", Guid.NewGuid().ToString("N"));
        Ports = FreePorts.Take(size);
        Ids = Enumerable.Range(0, size).Select(i => $"n{i}").ToArray();
        PeersText = string.Join(';', Ids.Select((id, i) => $"{id}-127.0.0.1:{Ports[i]}"));
        Tune = tune ?? (o => o);
        Settings = settings ?? new RaftNodeSettings { RetentionCheckInterval = null };
        foreach (string id in Ids) StateMachines[id] = new RecordingStateMachine();
    }

    public string Root { get; }
    public int[] Ports { get; }
    public string[] Ids { get; }
    public string PeersText { get; }
    public Func<ConsensusOptions, ConsensusOptions> Tune { get; }
    public RaftNodeSettings Settings { get; }
    public Dictionary<string, RecordingStateMachine> StateMachines { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, CapturingLoggerFactory> Logs { get; } = new(StringComparer.Ordinal);

    public IReadOnlyCollection<RaftNode> Running => _running.Values;

    public RaftNode Node(string id) => _running[id];

    public ConsensusOptions OptionsFor(string id, string? peersText = null) => Tune(new ConsensusOptions
    {
        Group = "RaftNode00",
        Peers = DLedgerPeers.Parse(peersText ?? PeersText),
        SelfId = id,
        StorePathRootDir = Root,
        TickInterval = TimeSpan.FromMilliseconds(25),
        ElectionTicks = 10,
        DataFileSizeBytes = 4096,
    });

    public string StoreDir(string id) => OptionsFor(id).ConsensusStoreDir;

    public async Task<RaftNode> Start(string id, ConsensusOptions? options = null, RecordingStateMachine? stateMachine = null)
    {
        if (stateMachine is not null) StateMachines[id] = stateMachine;
        var log = new CapturingLoggerFactory();
        Logs[id] = log;
        var node = RaftNode.Create(options ?? OptionsFor(id), StateMachines[id], log, Settings);
        await node.StartAsync();
        _running[id] = node;
        return node;
    }

    public async Task StartAll()
    {
        foreach (string id in Ids) await Start(id);
    }

    /// <summary>Stops a node abruptly as far as its peers can tell (its sockets close); the directory stays.</summary>
    public async Task Stop(string id)
    {
        if (_running.Remove(id, out var node)) await node.DisposeAsync();
    }

    /// <summary>Restarts a stopped node from its directory with a fresh state machine (applied index 0).</summary>
    public Task<RaftNode> Restart(string id) => Start(id, stateMachine: new RecordingStateMachine());

    public async Task<RaftNode> WaitForLeader(IEnumerable<RaftNode>? among = null)
    {
        RaftNode? leader = null;
        await Eventually.WaitUntil(() =>
        {
            var nodes = (among ?? _running.Values).ToList();
            var leaders = nodes.Where(n => n.State.Role == RaftRole.Leader).ToList();
            if (leaders.Count != 1) return false;
            leader = leaders[0];
            // Everyone up agrees on who leads (no stale leader of an older term still thinking it leads).
            return nodes.All(n => n.State.LeaderId == leader.SelfId && n.State.Term == leader.State.Term);
        }, "one leader that every running node follows");
        return leader!;
    }

    /// <summary>Appends one payload through whichever node leads, retrying NotLeader/Busy/Unknown until Committed.</summary>
    public async Task<AppendOutcome> AppendCommitted(string payload)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var leader = _running.Values.FirstOrDefault(n => n.State.Role == RaftRole.Leader);
            if (leader is not null)
            {
                var outcome = await leader.AppendAsync([Encoding.UTF8.GetBytes(payload)], TimeSpan.FromSeconds(5));
                if (outcome.Status == AppendStatus.Committed) return outcome;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"'{payload}' was not committed within {Deadline.TotalSeconds} s");
            await Task.Delay(20);
        }
    }

    /// <summary>Like <see cref="Eventually.WaitUntil"/>, but a timeout says what every node was doing, for the rare failure.</summary>
    public async Task WaitUntil(Func<bool> condition, string what)
    {
        try
        {
            await Eventually.WaitUntil(condition, what);
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}\n{Describe()}", timeout);
        }
    }

    /// <summary>Each node's role, term and indexes, and its latest log events.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (string id in Ids)
        {
            if (_running.TryGetValue(id, out var node))
            {
                var state = node.State;
                text.AppendLine($"{id}: {state.Role} term {state.Term} leader {state.LeaderId} last {node.LastIndex} " +
                    $"commit {node.CommitIndex} applied {node.AppliedIndex} firstPos {node.FirstRetainedPos} " +
                    $"payloads {StateMachines[id].Payloads.Count}");
            }
            else
            {
                text.AppendLine($"{id}: stopped");
            }
            if (!Logs.TryGetValue(id, out var log)) continue;
            foreach (var e in log.Events.TakeLast(40)) text.AppendLine($"  {id} {e.Level} {e.EventId} {e.Message}");
        }
        return text.ToString();
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _running.Values) await node.DisposeAsync();
        _running.Clear();
        try
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind must not fail the test.
        }
    }
}
