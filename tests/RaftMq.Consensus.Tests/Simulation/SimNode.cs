using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Consensus.Runtime;
using RaftMq.Consensus.Tests.Simulation.Storage;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// One simulated group member: the production <see cref="NodeDriver"/> over the real <see cref="SegmentedLog"/> and
/// hard-state file on a simulated disk that survives crashes. The driver, the open log, the in-memory state
/// machine, queued inputs and a round whose disk work is still in flight do not survive a crash.
/// </summary>
internal sealed class SimNode(int index, string id, SimFileSystem disk) : IRoundInputs, IDriverHost
{
    private readonly Queue<NodeInput> _inbox = new();
    private readonly Queue<ControlItem> _control = new();
    private int _pendingTicks;

    public int Index { get; } = index;
    public string Id { get; } = id;
    public SimFileSystem Disk { get; } = disk;
    public string StorePath { get; } = "/sim/" + id;

    /// <summary>The broker state machine's files (ConsumeQueues, key index, checkpoint), inside the data directory.</summary>
    public string BrokerPath => StorePath + "/broker";

    /// <summary>Null while crashed.</summary>
    public NodeDriver? Driver { get; set; }
    public SegmentedLog? Log { get; set; }
    public SimStateMachine? Machine { get; set; }

    /// <summary>The broker's state machine when the profile runs it (null while crashed, or when it does not).</summary>
    public Broker.BrokerSimMachine? Broker { get; set; }

    /// <summary>Bumped on every crash so that events of the previous incarnation are ignored.</summary>
    public int Generation { get; set; }

    public bool Paused { get; set; }

    /// <summary>The node exists (started at least once): the group's first members, and spares once added.</summary>
    public bool Provisioned { get; set; }

    /// <summary>Picked to join the group; it becomes provisioned (startable) once the leader appended its addition.</summary>
    public bool Reserved { get; set; }

    /// <summary>A spare's bootstrap configuration (the group's, listing it as a learner); null for the first members.</summary>
    public Membership? Bootstrap { get; set; }

    /// <summary>The last round's disk work is in flight: its messages wait in <see cref="Outbox"/>, no round runs.</summary>
    public bool Busy { get; set; }

    /// <summary>A round event is queued for this node.</summary>
    public bool RoundQueued { get; set; }

    /// <summary>The driver halted in the last round.</summary>
    public bool HaltRequested { get; set; }

    /// <summary>Upper bound of a round's disk latency in steps (0 = instant); raised by the slow-disk fault.</summary>
    public int MaxDiskLatency { get; set; } = 3;

    /// <summary>Events that reached the node while it was paused (SIGSTOP: the kernel buffers them).</summary>
    public List<SimEvent> Held { get; } = new();

    /// <summary>Messages of the current round, sent when its disk work completes.</summary>
    public List<Message> Outbox { get; } = new();

    /// <summary>Term in which this node was last seen leader (to detect new elections).</summary>
    public long LastLeaderTermSeen { get; set; } = -1;

    /// <summary>Last soft state written to the trace.</summary>
    public SoftState LastTracedState { get; set; }

    public RaftCore? Core => Driver?.Core;

    public bool Alive => Driver is not null;

    public bool Running => Driver is not null && !Paused;

    public bool HasWork => _inbox.Count > 0 || _pendingTicks > 0 || _control.Count > 0 || (Driver?.HasReady ?? false);

    public void Enqueue(NodeInput input) => _inbox.Enqueue(input);

    public void Enqueue(ControlItem item) => _control.Enqueue(item);

    /// <summary>Takes the queued (delivered, not yet stepped) messages from <paramref name="sender"/> out of the inbox.</summary>
    public List<Message> TakeQueuedMessagesFrom(string sender)
    {
        var taken = new List<Message>();
        int count = _inbox.Count;
        for (int i = 0; i < count; i++)
        {
            var input = _inbox.Dequeue();
            if (input.Message is { } message && message.From == sender) taken.Add(message);
            else _inbox.Enqueue(input);
        }
        return taken;
    }

    public void AddTick() => _pendingTicks++;

    /// <summary>Forgets everything volatile (the process died).</summary>
    public void ForgetVolatileState()
    {
        Driver = null;
        Log = null;
        Machine = null;
        Broker?.Dispose();
        Broker = null;
        Generation++;
        Busy = false;
        Paused = false;
        RoundQueued = false;
        HaltRequested = false;
        Held.Clear();
        Outbox.Clear();
        _inbox.Clear();
        _control.Clear();
        _pendingTicks = 0;
    }

    /// <summary>The whole durable log as the node's open store reads it (faults off).</summary>
    public List<LogEntry> ReadLog() => WithoutDiskFaults(() =>
    {
        var entries = new List<LogEntry>();
        if (Log is not { } log) return entries;
        long from = log.FirstIndex, last = log.LastIndex;
        while (from <= last)
        {
            var batch = log.Entries(from, last, 1 << 20);
            entries.AddRange(batch);
            from = batch[^1].Index + 1;
        }
        return entries;
    });

    /// <summary>Runs a simulator's own read of this node's disk: injected faults are for the node, not for checkers.</summary>
    public T WithoutDiskFaults<T>(Func<T> read)
    {
        bool faults = Disk.FaultsEnabled;
        Disk.FaultsEnabled = false;
        try
        {
            return read();
        }
        finally
        {
            Disk.FaultsEnabled = faults;
        }
    }

    bool IRoundInputs.TryRead(out NodeInput input) => _inbox.TryDequeue(out input);

    int IRoundInputs.TakeTicks()
    {
        int ticks = _pendingTicks;
        _pendingTicks = 0;
        return ticks;
    }

    bool IRoundInputs.TryTakeControl(out ControlItem item) => _control.TryDequeue(out item);

    void IDriverHost.Send(Message message) => Outbox.Add(message);

    void IDriverHost.StateChanged(SoftState state)
    {
    }

    void IDriverHost.Halted() => HaltRequested = true;

    void IDriverHost.MembershipChanged(Membership membership)
    {
    }
}

internal enum SimEventKind : byte { Deliver, Tick, RoundDone, Round, Fault, Propose, Probe, Check, WipeCheck }

/// <summary>One scheduled thing in virtual time.</summary>
internal readonly record struct SimEvent(SimEventKind Kind, int Node, int Generation, Message? Message, FaultEvent? Fault);
