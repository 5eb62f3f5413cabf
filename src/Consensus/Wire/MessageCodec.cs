using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using RaftMq.Foundation.Checksums;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Wire;

/// <summary>
/// Compact binary encoding of <see cref="Message"/> between group members. Big-endian, versioned:
/// <code>
/// version u8 (=1) | type u8 | flags u8 (1 reject, 2 transfer, 4 snapshot) | from str | to str |
/// term, logIndex, logTerm, commit, index, hintTerm, hintIndex i64 x7 | entryCount i32 |
/// entries: index i64, term i64, pos i64, type u8, bodyLength i32, body |
/// [snapshot: index i64, term i64, nextPos i64, dataLength i32, data] | crc32c u32 of everything before
/// </code>
/// Strings are u16-length-prefixed UTF-8. Decoding never trusts a length: malformed input gets a
/// <see cref="FormatException"/> naming what is wrong.
/// </summary>
public static class MessageCodec
{
    public const byte Version = 1;

    private const byte FlagReject = 1;
    private const byte FlagTransfer = 2;
    private const byte FlagSnapshot = 4;
    private const byte KnownFlags = FlagReject | FlagTransfer | FlagSnapshot;

    /// <summary>Fixed part: version, type, flags, two string lengths, seven longs, entry count, checksum.</summary>
    private const int FixedSize = 3 + 2 + 2 + 7 * 8 + 4 + 4;
    internal const int EntryHeaderSize = 8 + 8 + 8 + 1 + 4;
    private const int SnapshotHeaderSize = 8 + 8 + 8 + 4;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static int GetEncodedSize(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        long size = FixedSize + StringSize(message.From, nameof(Message.From)) + StringSize(message.To, nameof(Message.To));
        IReadOnlyList<LogEntry> entries = message.Entries;
        for (int i = 0; i < entries.Count; i++) size += EntryHeaderSize + entries[i].Body.Length;
        if (message.Snapshot is { } snapshot) size += SnapshotHeaderSize + snapshot.Data.Length;
        if (size > int.MaxValue) throw new ArgumentException($"message of {size} bytes is too large to encode", nameof(message));
        return (int)size;
    }

    /// <summary>Encodes into <paramref name="writer"/>; returns the bytes written.</summary>
    public static int Encode(Message message, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int size = GetEncodedSize(message);
        Span<byte> destination = writer.GetSpan(size);
        Encode(message, destination[..size]);
        writer.Advance(size);
        return size;
    }

    /// <summary>Encodes into <paramref name="destination"/> (at least <see cref="GetEncodedSize"/> bytes); returns the bytes written.</summary>
    public static int Encode(Message message, Span<byte> destination)
    {
        int size = GetEncodedSize(message);
        if (destination.Length < size)
            throw new ArgumentException($"destination has {destination.Length} bytes, the message needs {size}", nameof(destination));
        var w = new SpanWriter(destination);
        w.Byte(Version);
        w.Byte((byte)message.Type);
        byte flags = 0;
        if (message.Reject) flags |= FlagReject;
        if (message.Transfer) flags |= FlagTransfer;
        if (message.Snapshot is not null) flags |= FlagSnapshot;
        w.Byte(flags);
        w.String(message.From);
        w.String(message.To);
        w.Long(message.Term);
        w.Long(message.LogIndex);
        w.Long(message.LogTerm);
        w.Long(message.Commit);
        w.Long(message.Index);
        w.Long(message.HintTerm);
        w.Long(message.HintIndex);
        IReadOnlyList<LogEntry> entries = message.Entries;
        w.Int(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            LogEntry entry = entries[i];
            w.Long(entry.Index);
            w.Long(entry.Term);
            w.Long(entry.Pos);
            w.Byte((byte)entry.Type);
            w.Bytes(entry.Body.Span);
        }
        if (message.Snapshot is { } snapshot)
        {
            w.Long(snapshot.Index);
            w.Long(snapshot.Term);
            w.Long(snapshot.NextPos);
            w.Bytes(snapshot.Data.Span);
        }
        uint crc = Crc32C.Compute(destination[..w.Position]);
        w.UInt(crc);
        return w.Position;
    }

    /// <summary>Decodes one whole message (exactly <paramref name="source"/>, no trailing bytes).</summary>
    /// <exception cref="FormatException">The input is truncated, corrupt or not a message of a known version.</exception>
    public static Message Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length < FixedSize) throw new FormatException($"message truncated: {source.Length} bytes, at least {FixedSize} needed");
        if (source[0] != Version) throw new FormatException($"unsupported message version {source[0]} (expected {Version})");
        uint expected = BinaryPrimitives.ReadUInt32BigEndian(source[^4..]);
        uint actual = Crc32C.Compute(source[..^4]);
        if (expected != actual) throw new FormatException($"message checksum mismatch (stored {expected:x8}, computed {actual:x8})");
        var r = new WireReader(source[..^4]);
        r.Byte("version");
        byte type = r.Byte("type");
        if (type < (byte)MessageType.PreVote || type > (byte)MessageType.TimeoutNow) throw new FormatException($"unknown message type {type}");
        byte flags = r.Byte("flags");
        if ((flags & ~KnownFlags) != 0) throw new FormatException($"unknown message flags 0x{flags:x2}");
        string from = r.String("from", StrictUtf8);
        string to = r.String("to", StrictUtf8);
        long term = r.NonNegativeLong("term");
        long logIndex = r.NonNegativeLong("logIndex");
        long logTerm = r.NonNegativeLong("logTerm");
        long commit = r.NonNegativeLong("commit");
        long index = r.NonNegativeLong("index");
        long hintTerm = r.NonNegativeLong("hintTerm");
        long hintIndex = r.NonNegativeLong("hintIndex");
        var (entries, snapshot) = ReadPayload(ref r, (flags & FlagSnapshot) != 0);
        if (r.Remaining != 0) throw new FormatException($"{r.Remaining} unexpected bytes after the message");
        return new Message
        {
            Type = (MessageType)type, From = from, To = to, Term = term, LogIndex = logIndex, LogTerm = logTerm,
            Commit = commit, Index = index, HintTerm = hintTerm, HintIndex = hintIndex, Entries = entries,
            Snapshot = snapshot, Reject = (flags & FlagReject) != 0, Transfer = (flags & FlagTransfer) != 0,
        };
    }

    /// <summary>Entries and snapshot; all bodies share one array so a message costs one allocation for its data.</summary>
    private static (IReadOnlyList<LogEntry> Entries, Snapshot? Snapshot) ReadPayload(ref WireReader r, bool hasSnapshot)
    {
        int count = r.Int("entry count");
        if (count < 0 || (long)count * EntryHeaderSize > r.Remaining)
            throw new FormatException($"entry count {count} does not fit in the {r.Remaining} remaining bytes");
        WireReader scan = r;
        long dataBytes = 0;
        for (int i = 0; i < count; i++)
        {
            scan.Skip(EntryHeaderSize - 4, "entry header");
            dataBytes += scan.SkipBlock("entry body");
        }
        if (hasSnapshot)
        {
            scan.Skip(SnapshotHeaderSize - 4, "snapshot header");
            dataBytes += scan.SkipBlock("snapshot data");
        }
        byte[] data = dataBytes == 0 ? Array.Empty<byte>() : new byte[dataBytes];
        int offset = 0;
        LogEntry[] entries = count == 0 ? Array.Empty<LogEntry>() : new LogEntry[count];
        for (int i = 0; i < count; i++)
        {
            long index = r.NonNegativeLong("entry index");
            long term = r.NonNegativeLong("entry term");
            long pos = r.NonNegativeLong("entry pos");
            byte type = r.Byte("entry type");
            if (type != (byte)EntryType.Normal && type != (byte)EntryType.Noop) throw new FormatException($"unknown entry type {type} in entry {index}");
            ReadOnlyMemory<byte> body = r.Block("entry body", data, ref offset);
            entries[i] = new LogEntry(index, term, pos, (EntryType)type, body);
        }
        Snapshot? snapshot = null;
        if (hasSnapshot)
        {
            long index = r.NonNegativeLong("snapshot index");
            long term = r.NonNegativeLong("snapshot term");
            long nextPos = r.NonNegativeLong("snapshot nextPos");
            snapshot = new Snapshot(index, term, nextPos, r.Block("snapshot data", data, ref offset));
        }
        return (entries, snapshot);
    }

    private static int StringSize(string value, string field)
    {
        ArgumentNullException.ThrowIfNull(value, field);
        int bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > ushort.MaxValue) throw new ArgumentException($"{field} is {bytes} bytes of UTF-8, at most {ushort.MaxValue} allowed", field);
        return bytes;
    }
}
