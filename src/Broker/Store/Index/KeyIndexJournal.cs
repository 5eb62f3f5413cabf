using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using RaftMq.Broker.Store.Checkpoint;
using RaftMq.Foundation.Checksums;

namespace RaftMq.Broker.Store.Index;

/// <summary>
/// Append-only file persisting the key index: records buffered by the dispatcher are written and fsynced at checkpoint
/// time; on start the index is reloaded from it and the entries after the checkpoint are re-applied (duplicates are
/// ignored by <see cref="KeyIndex"/>). Record: <c>crc32c uint32 | length int32 | physicalOffset int64 | storeTimestamp
/// int64 | topicLength uint16 | topic | keyLength uint16 | key</c>; CRC over everything after it. A torn tail is cut.
/// </summary>
internal sealed class KeyIndexJournal
{
    private const int FixedBytes = 4 + 4 + 8 + 8 + 2 + 2;
    private readonly string _path;
    private readonly Lock _lock = new();
    private ArrayBufferWriter<byte> _buffered = new();
    private long _recordsOnDisk;

    public KeyIndexJournal(string directory)
    {
        _path = Path.Combine(directory, "keys.journal");
    }

    /// <summary>Records written since the last compaction (the file's size in records).</summary>
    public long RecordsOnDisk => Interlocked.Read(ref _recordsOnDisk);

    public void Append(string topic, string key, KeyHit hit)
    {
        lock (_lock) WriteRecord(_buffered, topic, key, hit);
    }

    /// <summary>Hands the buffered records to the caller (who writes them with <see cref="WriteDurably"/>).</summary>
    public ReadOnlyMemory<byte> TakeBuffered()
    {
        lock (_lock)
        {
            var taken = _buffered.WrittenMemory;
            _buffered = new ArrayBufferWriter<byte>();
            return taken;
        }
    }

    /// <summary>Appends records taken from the buffer and fsyncs the file.</summary>
    public void WriteDurably(ReadOnlyMemory<byte> records)
    {
        if (records.IsEmpty) return;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        using var handle = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        RandomAccess.Write(handle, records.Span, RandomAccess.GetLength(handle));
        RandomAccess.FlushToDisk(handle);
        Interlocked.Add(ref _recordsOnDisk, CountRecords(records.Span));
    }

    /// <summary>Replaces the file with exactly <paramref name="entries"/> (bounds its size to the index's).</summary>
    public void Compact(IReadOnlyList<(string Topic, string Key, KeyHit Hit)> entries)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var (topic, key, hit) in entries) WriteRecord(writer, topic, key, hit);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        DurableFile.WriteAtomically(_path, writer.WrittenSpan);
        Interlocked.Exchange(ref _recordsOnDisk, entries.Count);
    }

    /// <summary>Loads every intact record into <paramref name="index"/> and cuts a torn or damaged tail off the file.</summary>
    public void LoadInto(KeyIndex index)
    {
        if (!File.Exists(_path)) return;
        byte[] content = File.ReadAllBytes(_path);
        int position = 0;
        long records = 0;
        while (TryReadRecord(content.AsSpan(position), out int length, out string topic, out string key, out var hit))
        {
            index.Add(topic, key, hit);
            position += length;
            records++;
        }
        if (position < content.Length)
        {
            using var handle = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            RandomAccess.SetLength(handle, position);
            RandomAccess.FlushToDisk(handle);
        }
        Interlocked.Exchange(ref _recordsOnDisk, records);
    }

    public void Delete()
    {
        lock (_lock) _buffered = new ArrayBufferWriter<byte>();
        if (File.Exists(_path)) File.Delete(_path);
        Interlocked.Exchange(ref _recordsOnDisk, 0);
    }

    private static void WriteRecord(ArrayBufferWriter<byte> writer, string topic, string key, KeyHit hit)
    {
        int topicBytes = Encoding.UTF8.GetByteCount(topic);
        int keyBytes = Encoding.UTF8.GetByteCount(key);
        if (topicBytes > ushort.MaxValue || keyBytes > ushort.MaxValue) return; // cannot come from a valid message
        int length = FixedBytes + topicBytes + keyBytes;
        var record = writer.GetSpan(length)[..length];
        BinaryPrimitives.WriteInt32BigEndian(record[4..], length);
        BinaryPrimitives.WriteInt64BigEndian(record[8..], hit.PhysicalOffset);
        BinaryPrimitives.WriteInt64BigEndian(record[16..], hit.StoreTimestamp);
        BinaryPrimitives.WriteUInt16BigEndian(record[24..], (ushort)topicBytes);
        Encoding.UTF8.GetBytes(topic, record[26..]);
        BinaryPrimitives.WriteUInt16BigEndian(record[(26 + topicBytes)..], (ushort)keyBytes);
        Encoding.UTF8.GetBytes(key, record[(28 + topicBytes)..]);
        BinaryPrimitives.WriteUInt32BigEndian(record, Crc32C.Compute(record[4..]));
        writer.Advance(length);
    }

    private static bool TryReadRecord(ReadOnlySpan<byte> source, out int length, out string topic, out string key, out KeyHit hit)
    {
        (length, topic, key, hit) = (0, "", "", default);
        if (source.Length < FixedBytes) return false;
        length = BinaryPrimitives.ReadInt32BigEndian(source[4..]);
        if (length < FixedBytes || length > source.Length) return false;
        var record = source[..length];
        if (BinaryPrimitives.ReadUInt32BigEndian(record) != Crc32C.Compute(record[4..])) return false;
        int topicBytes = BinaryPrimitives.ReadUInt16BigEndian(record[24..]);
        if (26 + topicBytes + 2 > length) return false;
        int keyBytes = BinaryPrimitives.ReadUInt16BigEndian(record[(26 + topicBytes)..]);
        if (FixedBytes + topicBytes + keyBytes != length) return false;
        topic = Encoding.UTF8.GetString(record.Slice(26, topicBytes));
        key = Encoding.UTF8.GetString(record.Slice(28 + topicBytes, keyBytes));
        hit = new KeyHit(BinaryPrimitives.ReadInt64BigEndian(record[8..]), BinaryPrimitives.ReadInt64BigEndian(record[16..]));
        return true;
    }

    private static long CountRecords(ReadOnlySpan<byte> records)
    {
        long count = 0;
        while (records.Length >= FixedBytes)
        {
            records = records[BinaryPrimitives.ReadInt32BigEndian(records[4..])..];
            count++;
        }
        return count;
    }
}
