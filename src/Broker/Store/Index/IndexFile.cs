using System.Buffers.Binary;
using RaftMq.Foundation.Checksums;
using RaftMq.Foundation.Storage;

namespace RaftMq.Broker.Store.Index;

/// <summary>
/// One memory-mapped index file in the spirit of RocketMQ's IndexFile: a header, a table of hash slots (int32: number
/// of the newest entry whose key hashes there, 0 = none) and fixed 20-byte entries numbered from 1, each linking to the
/// previous entry of its slot. Entries are only appended; the slot table is derivable from them. Not thread-safe: the
/// <see cref="KeyIndex"/> serialises access. The mapping (<see cref="IFileSystem.Map"/>) lives outside the managed heap
/// in production; the simulator's lives in memory and loses unflushed pages at a crash.
/// </summary>
internal sealed class IndexFile : IDisposable
{
    private readonly IMappedFile _view;
    private readonly long _length;
    private bool _disposed;

    private IndexFile(string path, IMappedFile view, IndexFileHeader header)
    {
        Path = path;
        _view = view;
        _length = IndexFileHeader.FileBytes(header.SlotCount, header.EntryCapacity);
        Header = header;
    }

    public string Path { get; }

    /// <summary>The in-memory state (ahead of the header on disk until the next <see cref="Flush"/>).</summary>
    public IndexFileHeader Header { get; private set; }

    public bool IsFull => Header.EntryCount >= Header.EntryCapacity;

    private long SlotsOffset => IndexFileHeader.Size;

    private long EntriesOffset => IndexFileHeader.Size + (4L * Header.SlotCount);

    /// <summary>Creates a new empty file (sparse until written) and makes its name durable.</summary>
    public static IndexFile Create(IFileSystem fileSystem, string path, int slotCount, int entryCapacity, long coveredFrom)
    {
        var header = IndexFileHeader.Empty(slotCount, entryCapacity, coveredFrom);
        long length = IndexFileHeader.FileBytes(slotCount, entryCapacity);
        if (fileSystem.FileExists(path)) throw new IOException($"Index file {path} already exists.");
        using (var handle = fileSystem.Open(path))
        {
            handle.SetLength(length);
        }
        var file = Map(fileSystem, path, header, writable: true);
        file.WriteHeader(header);
        file._view.Flush();
        return file;
    }

    /// <summary>Maps an existing file whose header was already read and checked.</summary>
    public static IndexFile Open(IFileSystem fileSystem, string path, IndexFileHeader header, bool writable) => Map(fileSystem, path, header, writable);

    /// <summary>Reads and checks the header of the file at <paramref name="path"/>.</summary>
    public static IndexFileHeader? ReadHeader(IFileSystem fileSystem, string path, out string? problem)
    {
        using var handle = fileSystem.Open(path);
        Span<byte> bytes = stackalloc byte[IndexFileHeader.Size];
        int read = handle.Read(0, bytes);
        return IndexFileHeader.TryRead(bytes[..read], handle.Length, out problem);
    }

    /// <summary>Why the entries do not match the header's CRC, or null.</summary>
    public string? VerifyEntries()
    {
        uint crc = Crc32C.Compute(Entries(1, Header.EntryCount));
        return crc == Header.EntriesCrc ? null : $"entries 1..{Header.EntryCount} fail their checksum";
    }

    /// <summary>True when the slot table is the one written with the header (orderly close or seal).</summary>
    public bool SlotsAreComplete() =>
        (Header.Flags & IndexFileFlags.SlotsComplete) != 0 && Crc32C.Compute(Slots()) == Header.SlotsCrc;

    /// <summary>Derives the slot table again from the entries (after a crash the table may hold links to entries past
    /// the durable count, or miss links to entries before it).</summary>
    public void RebuildSlots()
    {
        Slots().Clear();
        for (int number = 1; number <= Header.EntryCount; number++)
        {
            var entry = IndexEntry.Read(Entries(number, 1));
            WriteSlot(SlotOf(entry.KeyHash), number);
        }
    }

    /// <summary>Appends an entry for a key hash; the caller checked <see cref="IsFull"/>.</summary>
    public void Add(int keyHash, long physicalOffset, long storeTimestamp)
    {
        var header = Header;
        int number = header.EntryCount + 1;
        int slot = SlotOf(keyHash);
        long baseTimestamp = number == 1 ? storeTimestamp : header.BeginTimestamp;
        long deltaSeconds = Math.Clamp((storeTimestamp - baseTimestamp) / 1000, 0, int.MaxValue);
        var bytes = Entries(number, 1);
        new IndexEntry(keyHash, physicalOffset, (int)deltaSeconds, ReadSlot(slot)).WriteTo(bytes);
        WriteSlot(slot, number);
        Header = header with
        {
            EntryCount = number,
            BeginTimestamp = baseTimestamp,
            MinTimestamp = number == 1 ? storeTimestamp : Math.Min(header.MinTimestamp, storeTimestamp),
            EndTimestamp = number == 1 ? storeTimestamp : Math.Max(header.EndTimestamp, storeTimestamp),
            BeginPhysicalOffset = number == 1 ? physicalOffset : header.BeginPhysicalOffset,
            EndPhysicalOffset = physicalOffset,
            EntriesCrc = Crc32C.Append(header.EntriesCrc, bytes),
        };
    }

    /// <summary>Records that every message of the log before <paramref name="pos"/> is indexed.</summary>
    public void MarkCovered(long pos)
    {
        if (pos > Header.CoveredTo) Header = Header with { CoveredTo = pos };
    }

    /// <summary>
    /// Adds to <paramref name="candidates"/> the physical offsets of entries with <paramref name="keyHash"/> whose store
    /// time (second resolution) may lie in [begin, end], newest first, up to <paramref name="max"/>. Like RocketMQ the
    /// walk stops at the first entry stored a whole second before <paramref name="begin"/>.
    /// </summary>
    public void Select(int keyHash, long begin, long end, List<long> candidates, int max)
    {
        var header = Header;
        int number = ReadSlot(SlotOf(keyHash));
        while (number > 0 && number <= header.EntryCount && candidates.Count < max)
        {
            var entry = IndexEntry.Read(Entries(number, 1));
            long timeRead = header.BeginTimestamp + (entry.TimeDeltaSeconds * 1000L);
            // A clamped delta of 0 may stand for an earlier time: only positive deltas bound the time from below.
            bool surelyAfterEnd = entry.TimeDeltaSeconds > 0 && timeRead > end;
            if (timeRead + 1000 <= begin) break; // stored before begin, as is every older entry (store times ascend)
            if (entry.KeyHash == keyHash && !surelyAfterEnd) candidates.Add(entry.PhysicalOffset);
            if (entry.Previous >= number) break; // links only go back; anything else is damage
            number = entry.Previous;
        }
    }

    /// <summary>Makes entries, slots and then the header (as of <paramref name="captured"/>) durable: two msyncs, since
    /// the pages of one reach the disk in any order. <paramref name="inOneStep"/> is a planted bug that skips the first.</summary>
    public void Flush(IndexFileHeader captured, bool inOneStep = false)
    {
        if (!inOneStep) _view.Flush();
        WriteHeader(captured with { Flags = captured.Flags & ~IndexFileFlags.SlotsComplete });
        _view.Flush();
    }

    /// <summary>Writes the header with a complete slot table (and <paramref name="flags"/>) and makes the file durable.</summary>
    public void Close(IndexFileFlags flags)
    {
        Header = Header with { Flags = IndexFileFlags.SlotsComplete | flags, SlotsCrc = Crc32C.Compute(Slots()) };
        _view.Flush();
        WriteHeader(Header);
        _view.Flush();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.Dispose();
    }

    private static IndexFile Map(IFileSystem fileSystem, string path, IndexFileHeader header, bool writable)
    {
        var view = fileSystem.Map(path, writable);
        if (view.Length < IndexFileHeader.FileBytes(header.SlotCount, header.EntryCapacity))
        {
            view.Dispose();
            throw new InvalidDataException($"Index file {path} holds {view.Length} bytes, fewer than its geometry needs.");
        }
        return new IndexFile(path, view, header);
    }

    private int SlotOf(int keyHash) => (keyHash & int.MaxValue) % Header.SlotCount;

    private Span<byte> Slots() => _view.GetSpan(SlotsOffset, checked(4 * Header.SlotCount));

    private Span<byte> Entries(int firstNumber, int count) =>
        _view.GetSpan(EntriesOffset + ((long)(firstNumber - 1) * IndexEntry.Size), checked(count * IndexEntry.Size));

    private int ReadSlot(int slot) => BinaryPrimitives.ReadInt32BigEndian(_view.GetSpan(SlotsOffset + (4L * slot), 4));

    private void WriteSlot(int slot, int number) => BinaryPrimitives.WriteInt32BigEndian(_view.GetSpan(SlotsOffset + (4L * slot), 4), number);

    private void WriteHeader(IndexFileHeader header)
    {
        if (_length < IndexFileHeader.Size) throw new InvalidDataException($"Index file {Path} is shorter than its header.");
        header.WriteTo(_view.GetSpan(0, IndexFileHeader.Size));
    }
}
