using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using RaftMq.Foundation.Checksums;

namespace RaftMq.Broker.Store.Index;

/// <summary>
/// One memory-mapped index file in the spirit of RocketMQ's IndexFile: a header, a table of hash slots (int32: number
/// of the newest entry whose key hashes there, 0 = none) and fixed 20-byte entries numbered from 1, each linking to the
/// previous entry of its slot. Entries are only appended; the slot table is derivable from them. Not thread-safe: the
/// <see cref="KeyIndex"/> serialises access. The mapping lives outside the managed heap.
/// </summary>
internal sealed unsafe class IndexFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _length;
    private bool _disposed;

    private IndexFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, IndexFileHeader header)
    {
        Path = path;
        _map = map;
        _view = view;
        _length = IndexFileHeader.FileBytes(header.SlotCount, header.EntryCapacity);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
        Header = header;
    }

    public string Path { get; }

    /// <summary>The in-memory state (ahead of the header on disk until the next <see cref="Flush"/>).</summary>
    public IndexFileHeader Header { get; private set; }

    public bool IsFull => Header.EntryCount >= Header.EntryCapacity;

    private long SlotsOffset => IndexFileHeader.Size;

    private long EntriesOffset => IndexFileHeader.Size + (4L * Header.SlotCount);

    /// <summary>Creates a new empty file (sparse until written) and makes its name durable.</summary>
    public static IndexFile Create(string path, int slotCount, int entryCapacity, long coveredFrom)
    {
        var header = IndexFileHeader.Empty(slotCount, entryCapacity, coveredFrom);
        long length = IndexFileHeader.FileBytes(slotCount, entryCapacity);
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(handle, length);
        }
        var file = Map(path, header, writable: true);
        file.WriteHeader(header);
        file._view.Flush();
        return file;
    }

    /// <summary>Maps an existing file whose header was already read and checked.</summary>
    public static IndexFile Open(string path, IndexFileHeader header, bool writable) => Map(path, header, writable);

    /// <summary>Reads and checks the header of the file at <paramref name="path"/>.</summary>
    public static IndexFileHeader? ReadHeader(string path, out string? problem)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> bytes = stackalloc byte[IndexFileHeader.Size];
        int read = RandomAccess.Read(handle, bytes, 0);
        return IndexFileHeader.TryRead(bytes[..read], RandomAccess.GetLength(handle), out problem);
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

    /// <summary>Makes entries, slots and then the header (as of <paramref name="captured"/>) durable.</summary>
    public void Flush(IndexFileHeader captured)
    {
        _view.Flush();
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
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }

    private static IndexFile Map(string path, IndexFileHeader header, bool writable)
    {
        var access = writable ? MemoryMappedFileAccess.ReadWrite : MemoryMappedFileAccess.Read;
        var stream = new FileStream(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        MemoryMappedFile? map = null;
        try
        {
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, access, HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, 0, access);
            return new IndexFile(path, map, view, header);
        }
        catch
        {
            if (map is null) stream.Dispose();
            else map.Dispose();
            throw;
        }
    }

    private int SlotOf(int keyHash) => (keyHash & int.MaxValue) % Header.SlotCount;

    private Span<byte> Slots() => new(_base + SlotsOffset, checked(4 * Header.SlotCount));

    private Span<byte> Entries(int firstNumber, int count) =>
        new(_base + EntriesOffset + ((long)(firstNumber - 1) * IndexEntry.Size), checked(count * IndexEntry.Size));

    private int ReadSlot(int slot) => BinaryPrimitives.ReadInt32BigEndian(new ReadOnlySpan<byte>(_base + SlotsOffset + (4L * slot), 4));

    private void WriteSlot(int slot, int number) => BinaryPrimitives.WriteInt32BigEndian(new Span<byte>(_base + SlotsOffset + (4L * slot), 4), number);

    private void WriteHeader(IndexFileHeader header)
    {
        if (_length < IndexFileHeader.Size) throw new InvalidDataException($"Index file {Path} is shorter than its header.");
        header.WriteTo(new Span<byte>(_base, IndexFileHeader.Size));
    }
}
