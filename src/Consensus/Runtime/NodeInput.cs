using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

internal enum NodeInputKind : byte
{
    /// <summary>Nothing to do but look at the tick counter and the control queue.</summary>
    Wake,
    Message,
    Proposal,
}

/// <summary>One item of the node loop's bounded input channel (a struct: no allocation per item).</summary>
internal readonly struct NodeInput
{
    private NodeInput(NodeInputKind kind, Message? message, IReadOnlyList<ReadOnlyMemory<byte>>? payloads, PendingAppend? source,
        short version, long startedAt, long deadline)
    {
        Kind = kind;
        Message = message;
        Payloads = payloads;
        Source = source;
        Version = version;
        StartedAt = startedAt;
        Deadline = deadline;
    }

    public NodeInputKind Kind { get; }
    public Message? Message { get; }

    /// <summary>Carried here rather than read from <see cref="Source"/>, which the caller may recycle after cancelling.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Payloads { get; }

    public PendingAppend? Source { get; }
    public short Version { get; }
    public long StartedAt { get; }
    public long Deadline { get; }

    public static NodeInput Wake => default;

    public static NodeInput ForMessage(Message message) => new(NodeInputKind.Message, message, null, null, 0, 0, 0);

    public static NodeInput ForProposal(IReadOnlyList<ReadOnlyMemory<byte>> payloads, PendingAppend source, short version, long startedAt, long deadline) =>
        new(NodeInputKind.Proposal, null, payloads, source, version, startedAt, deadline);
}

internal enum ControlKind : byte
{
    /// <summary>The transport saw the connection to a peer close.</summary>
    PeerDisconnected,
    TransferLeadership,

    /// <summary>ASYNC_FLUSH: time to fsync what was written since the last flush.</summary>
    Flush,

    /// <summary>Run <see cref="ControlItem.Work"/> on the loop (retention), where it cannot race the log writer.</summary>
    Work,
}

/// <summary>Rare inputs, kept in an unbounded queue so they are never dropped when the input channel is full.</summary>
internal readonly record struct ControlItem(ControlKind Kind, string? PeerId = null, LoopWork? Work = null);

/// <summary>A piece of work that must run on the node loop, with its completion.</summary>
internal sealed class LoopWork(Action run)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _done.Task;

    public void Run()
    {
        try
        {
            run();
            _done.TrySetResult();
        }
        catch (Exception e)
        {
            _done.TrySetException(e);
        }
    }

    public void Abandon() => _done.TrySetException(new ObjectDisposedException(nameof(RaftNode), "the Raft node stopped before the work ran"));
}
