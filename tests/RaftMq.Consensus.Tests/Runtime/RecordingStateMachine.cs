using System.Buffers.Binary;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Runtime;

/// <summary>
/// A state machine that remembers every applied Normal entry's body in order. Its snapshot is that whole history,
/// so a node restored from a snapshot still knows every payload. Thread-safe reads for assertions.
/// </summary>
internal sealed class RecordingStateMachine : IStateMachine
{
    private readonly Lock _gate = new();
    private readonly List<string> _payloads = [];
    private long _appliedIndex;
    private long _appliedTerm;

    public RecordingStateMachine(long appliedIndex = 0, long appliedTerm = 0) => (_appliedIndex, _appliedTerm) = (appliedIndex, appliedTerm);

    public long AppliedIndex
    {
        get { lock (_gate) return _appliedIndex; }
    }

    public long AppliedTerm
    {
        get { lock (_gate) return _appliedTerm; }
    }

    public int Resets { get; private set; }

    public void Reset()
    {
        lock (_gate)
        {
            (_appliedIndex, _appliedTerm) = (0, 0);
            _payloads.Clear();
            Resets++;
        }
    }

    public int RestoredSnapshots { get; private set; }

    public IReadOnlyList<string> Payloads
    {
        get { lock (_gate) return _payloads.ToArray(); }
    }

    public long Apply(LogEntry entry)
    {
        lock (_gate)
        {
            if (entry.Index != _appliedIndex + 1) throw new InvalidOperationException($"applied {entry.Index} after {_appliedIndex}");
            _appliedIndex = entry.Index;
            _appliedTerm = entry.Term;
            if (entry.Type == EntryType.Normal) _payloads.Add(System.Text.Encoding.UTF8.GetString(entry.Body.Span));
            return _payloads.Count;
        }
    }

    public ReadOnlyMemory<byte> TakeSnapshot()
    {
        lock (_gate)
        {
            using var stream = new MemoryStream();
            var header = new byte[12];
            BinaryPrimitives.WriteInt64BigEndian(header, _appliedIndex);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), _payloads.Count);
            stream.Write(header);
            foreach (string payload in _payloads)
            {
                byte[] bytes = System.Text.Encoding.UTF8.GetBytes(payload);
                var length = new byte[4];
                BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
                stream.Write(length);
                stream.Write(bytes);
            }
            return stream.ToArray();
        }
    }

    public void RestoreSnapshot(Snapshot snapshot)
    {
        lock (_gate)
        {
            var span = snapshot.Data.Span;
            long applied = BinaryPrimitives.ReadInt64BigEndian(span);
            if (applied != snapshot.Index) throw new InvalidOperationException($"snapshot data at {applied} but snapshot index {snapshot.Index}");
            int count = BinaryPrimitives.ReadInt32BigEndian(span[8..]);
            _payloads.Clear();
            int offset = 12;
            for (int i = 0; i < count; i++)
            {
                int length = BinaryPrimitives.ReadInt32BigEndian(span[offset..]);
                _payloads.Add(System.Text.Encoding.UTF8.GetString(span.Slice(offset + 4, length)));
                offset += 4 + length;
            }
            _appliedIndex = snapshot.Index;
            _appliedTerm = snapshot.Term;
            RestoredSnapshots++;
        }
    }
}
