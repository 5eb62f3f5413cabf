using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Broker.Store;
using RaftMq.Consensus.Core;
using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Tests.Simulation.Broker;

/// <summary>
/// A simulated node's state machine when the broker's runs: the real <see cref="MessageStateMachine"/> (ConsumeQueues,
/// key index, consumer offsets, checkpoint and recovery on its own directory) next to the hash machine the Raft-level
/// checkers watch. Its applied index is the broker's, as in production: a restarted node recovers the broker from its
/// checkpoint and derived files, and the driver resumes applying after it; the hash machine resumes there with the
/// committed sequence's hash. A snapshot carries both: the 8-byte hash, then the broker's metadata.
/// The broker's files live on the node's simulated disk next to its Raft log: a crash is a power loss for them too
/// (unsynced ConsumeQueue writes and unflushed key-index pages lost or torn), and a wipe deletes them.
/// </summary>
internal sealed class BrokerSimMachine : IStateMachine, IDisposable
{
    private readonly SimStateMachine _hash;

    public BrokerSimMachine(IFileSystem disk, string directory, StorePlantedBugs bugs, SimStateMachine hash, Func<long, ulong> committedHashAt)
    {
        Store = new MessageStateMachine(new MessageStoreOptions
        {
            FileSystem = disk,
            StoreDirectory = directory,
            ConsumeQueueFileUnits = 4,
            // Index files of three 4 KB pages: the header with the first slots, the rest of the slot table and the first
            // entries, the other entries; full after 200 keys, so runs seal files and start new ones.
            MaxHashSlotNum = 1100,
            MaxIndexNum = 200,
            Bugs = bugs,
        }, log: null, NullLogger.Instance);
        _hash = hash;
        _hash.ResumeAt(Store.AppliedIndex, Store.AppliedTerm, committedHashAt(Store.AppliedIndex));
    }

    public MessageStateMachine Store { get; }

    public long AppliedIndex => Store.AppliedIndex;

    public long AppliedTerm => Store.AppliedTerm;

    public long Apply(LogEntry entry)
    {
        _hash.Apply(entry);
        return Store.Apply(entry);
    }

    public ReadOnlyMemory<byte> TakeSnapshot()
    {
        var hash = _hash.TakeSnapshot();
        var store = Store.TakeSnapshot();
        var data = new byte[hash.Length + store.Length];
        hash.CopyTo(data);
        store.CopyTo(data.AsMemory(hash.Length));
        return data;
    }

    public void RestoreSnapshot(Snapshot snapshot)
    {
        _hash.RestoreSnapshot(snapshot);
        Store.RestoreSnapshot(snapshot with { Data = snapshot.Data[sizeof(ulong)..] });
    }

    public void Reset()
    {
        _hash.Reset();
        Store.Reset();
    }

    /// <summary>The process died: files close without writing anything (no checkpoint, no orderly close of the key
    /// index), the ConsumeQueues' buffered units are lost.</summary>
    public void Dispose() => Store.Abandon();

    /// <summary>The proposal id of a client payload the simulator encoded (the first 8 bytes of the message body); null for
    /// control records.</summary>
    public static long? ProposalIdOf(ReadOnlyMemory<byte> body) =>
        RaftMq.Protocol.Messages.StoredMessageView.TryRead(body.Span, out var view) && view.Body.Length >= 8
            ? BinaryPrimitives.ReadInt64BigEndian(view.Body)
            : null;
}
