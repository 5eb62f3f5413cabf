using System.Buffers.Binary;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Tests.Simulation.Checkers;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// The simulated nodes' state machine: a rolling hash of everything applied (snapshots carry the hash), in memory,
/// so a restarted node rebuilds it from its log (and its snapshot). The checkers watch every apply and restore.
/// </summary>
internal sealed class SimStateMachine(string nodeId, Action<string, long, LogEntry> onApply, Action<string, long, Snapshot, ulong> onRestore) : IStateMachine
{
    public long AppliedIndex { get; private set; }
    public long AppliedTerm { get; private set; }
    public ulong Hash { get; private set; }

    public long Apply(LogEntry entry)
    {
        onApply(nodeId, AppliedIndex, entry);
        AppliedIndex = entry.Index;
        AppliedTerm = entry.Term;
        Hash = AppliedHistory.Mix(Hash, entry);
        return entry.Index;
    }

    public ReadOnlyMemory<byte> TakeSnapshot()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(data, Hash);
        return data;
    }

    public void RestoreSnapshot(Snapshot snapshot)
    {
        ulong hash = snapshot.Data.Length >= 8 ? BinaryPrimitives.ReadUInt64BigEndian(snapshot.Data.Span) : 0;
        onRestore(nodeId, AppliedIndex, snapshot, hash);
        AppliedIndex = snapshot.Index;
        AppliedTerm = snapshot.Term;
        Hash = hash;
    }

    /// <summary>Continues after <paramref name="index"/> (a broker state machine recovered there from its checkpoint).</summary>
    public void ResumeAt(long index, long term, ulong hash)
    {
        AppliedIndex = index;
        AppliedTerm = term;
        Hash = hash;
    }

    public void Reset()
    {
        AppliedIndex = 0;
        AppliedTerm = 0;
        Hash = 0;
    }
}
