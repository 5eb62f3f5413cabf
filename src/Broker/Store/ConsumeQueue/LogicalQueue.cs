using System.Globalization;
using RaftMq.Foundation.Storage;

namespace RaftMq.Broker.Store.ConsumeQueue;

/// <summary>
/// The ConsumeQueue of one topic/queue: units at <c>(queueOffset - fileStart) * 20</c> inside files named by the
/// byte position of their first unit (20 digits), as in RocketMQ. Written only by the dispatcher (one thread);
/// read concurrently by pulls, which see units below <see cref="NextOffset"/> only (published after the write).
/// The newest units wait in a small tail buffer and reach the file in one write (when it fills, at a file boundary,
/// and before every fsync): one 20-byte write per message would cost a system call per message on every replica.
/// </summary>
internal sealed partial class LogicalQueue : IDisposable
{
    /// <summary>Units buffered before one write (2.5 KB). Checkpoints flush it, so it never outlives one interval.</summary>
    private const int TailUnits = 128;

    private readonly IFileSystem _fileSystem;
    private readonly string _directory;
    private readonly int _unitsPerFile;
    private readonly SortedList<long, QueueFile> _files = new();
    private readonly Lock _filesLock = new();
    private long _nextOffset;
    private long _floorOffset;
    private MinOffsetCache? _minOffsetCache;

    /// <summary>Guards the tail: appended by the dispatcher, written out by it or by a checkpoint, read by pulls.</summary>
    private readonly Lock _tailLock = new();
    private readonly byte[] _tail = new byte[TailUnits * ConsumeQueueUnit.Bytes];
    private long _tailStart;
    private int _tailCount;

    public LogicalQueue(IFileSystem fileSystem, string topic, int queueId, string consumeQueueRoot, int unitsPerFile, long floorOffset, long nextOffset)
    {
        _fileSystem = fileSystem;
        Topic = topic;
        QueueId = queueId;
        _unitsPerFile = unitsPerFile;
        _directory = Path.Combine(consumeQueueRoot, topic, queueId.ToString(CultureInfo.InvariantCulture));
        _floorOffset = floorOffset;
        _nextOffset = nextOffset;
        OpenExistingFiles();
    }

    public string Topic { get; }

    public int QueueId { get; }

    /// <summary>Offset the next dispatched message gets (= max offset).</summary>
    public long NextOffset => Volatile.Read(ref _nextOffset);

    /// <summary>Units below this offset are unavailable (restored from a snapshot without bodies, or files removed).</summary>
    public long FloorOffset => Volatile.Read(ref _floorOffset);

    /// <summary>Writes the unit for <paramref name="queueOffset"/> and publishes it to readers. Re-applying an entry
    /// rewrites the same bytes at the same place, so replays after a restart are idempotent.</summary>
    public void Append(long queueOffset, in ConsumeQueueUnit unit)
    {
        lock (_tailLock)
        {
            bool contiguous = _tailCount > 0 && queueOffset == _tailStart + _tailCount && queueOffset % _unitsPerFile != 0;
            if (_tailCount > 0 && (!contiguous || _tailCount == TailUnits)) WriteTailLocked();
            if (_tailCount == 0) _tailStart = queueOffset;
            unit.Write(_tail.AsSpan(_tailCount * ConsumeQueueUnit.Bytes, ConsumeQueueUnit.Bytes));
            _tailCount++;
        }
        Volatile.Write(ref _nextOffset, queueOffset + 1);
    }

    /// <summary>Reads units [from, from + destination.Length) that are below <see cref="NextOffset"/>; returns the count read.</summary>
    public int Read(long from, Span<ConsumeQueueUnit> destination)
    {
        long end = Math.Min(NextOffset, from + destination.Length);
        if (from < FloorOffset || from >= end) return 0;
        long filesEnd = end;
        int fromTail = 0;
        lock (_tailLock)
        {
            if (_tailCount > 0 && _tailStart < end && _tailStart + _tailCount >= end)
            {
                // Units below the tail's start were written to their file before the tail moved past them.
                filesEnd = Math.Max(from, _tailStart);
                fromTail = (int)(end - filesEnd);
                for (int i = 0; i < fromTail; i++)
                {
                    int at = (int)(filesEnd - _tailStart + i) * ConsumeQueueUnit.Bytes;
                    destination[(int)(filesEnd - from) + i] = ConsumeQueueUnit.Read(_tail.AsSpan(at, ConsumeQueueUnit.Bytes));
                }
            }
        }
        int read = ReadFiles(from, filesEnd, destination);
        return read < filesEnd - from ? read : read + fromTail;
    }

    private int ReadFiles(long from, long end, Span<ConsumeQueueUnit> destination)
    {
        Span<byte> buffer = stackalloc byte[64 * ConsumeQueueUnit.Bytes];
        int read = 0;
        while (from + read < end)
        {
            long offset = from + read;
            var file = FileFor(offset, create: false);
            if (file is null) return read;
            long fileEnd = Math.Min(end, file.FirstOffset + _unitsPerFile);
            int count = (int)Math.Min(fileEnd - offset, 64);
            var chunk = buffer[..(count * ConsumeQueueUnit.Bytes)];
            int bytes;
            try
            {
                bytes = file.Handle.Read((offset - file.FirstOffset) * ConsumeQueueUnit.Bytes, chunk);
            }
            catch (ObjectDisposedException)
            {
                return read; // the file was removed below the floor (retention) or the store is closing
            }
            int units = bytes / ConsumeQueueUnit.Bytes;
            for (int i = 0; i < units; i++) destination[read + i] = ConsumeQueueUnit.Read(chunk[(i * ConsumeQueueUnit.Bytes)..]);
            read += units;
            if (units < count) return read;
        }
        return read;
    }

    /// <summary>Writes the buffered units to their file (all in one file: the tail never crosses a file boundary).</summary>
    private void WriteTailLocked()
    {
        if (_tailCount == 0) return;
        var file = FileFor(_tailStart, create: true)!;
        file.Handle.Write((_tailStart - file.FirstOffset) * ConsumeQueueUnit.Bytes, _tail.AsSpan(0, _tailCount * ConsumeQueueUnit.Bytes));
        file.Dirty = true;
        _tailStart += _tailCount;
        _tailCount = 0;
    }

    public bool TryReadUnit(long offset, out ConsumeQueueUnit unit)
    {
        Span<ConsumeQueueUnit> one = stackalloc ConsumeQueueUnit[1];
        bool found = Read(offset, one) == 1;
        unit = one[0];
        return found;
    }

    /// <summary>Min offset for a log whose first retained byte is <paramref name="firstRetainedPos"/>: the first unit whose
    /// message is still in the log (physical offsets grow with queue offsets, so a binary search finds it).</summary>
    public long MinOffset(long firstRetainedPos)
    {
        long low = FloorOffset;
        var cache = Volatile.Read(ref _minOffsetCache);
        // Retention only moves forward: the answer for an earlier retained pos is a lower bound for this one.
        if (cache is not null && cache.RetainedPos <= firstRetainedPos) low = Math.Max(low, cache.MinOffset);
        long high = NextOffset;
        while (low < high)
        {
            long middle = low + ((high - low) / 2);
            if (!TryReadUnit(middle, out var unit) || unit.PhysicalOffset < firstRetainedPos) low = middle + 1;
            else high = middle;
        }
        if (cache is null || cache.RetainedPos != firstRetainedPos || cache.MinOffset != low)
        {
            Volatile.Write(ref _minOffsetCache, new MinOffsetCache(firstRetainedPos, low));
        }
        return low;
    }

    /// <summary>Queue offset of the unit pointing at <paramref name="physicalOffset"/>, or -1 when no unit does.</summary>
    public long FindByPhysicalOffset(long physicalOffset)
    {
        long low = FloorOffset;
        long high = NextOffset - 1;
        while (low <= high)
        {
            long middle = low + ((high - low) / 2);
            if (!TryReadUnit(middle, out var unit)) return -1;
            if (unit.PhysicalOffset == physicalOffset) return middle;
            if (unit.PhysicalOffset < physicalOffset) low = middle + 1;
            else high = middle - 1;
        }
        return -1;
    }

    /// <summary>Writes the tail, then (with <paramref name="fsync"/>, always but in a planted bug) fsyncs every file
    /// written since the last flush.</summary>
    public void Flush(bool fsync = true)
    {
        lock (_tailLock) WriteTailLocked();
        if (!fsync) return;
        foreach (var file in SnapshotFiles())
        {
            if (!file.Dirty) continue;
            file.Dirty = false; // cleared first: a write racing with the fsync marks the file again
            try
            {
                file.Handle.Flush();
            }
            catch (ObjectDisposedException)
            {
                return; // the queue was dropped (its topic deleted) while this checkpoint flushed it
            }
        }
    }

    /// <summary>Closes the files. The tail is dropped: a closing store wrote it in its final checkpoint, and a wiped
    /// one must not write it.</summary>
    public void Dispose()
    {
        lock (_tailLock) _tailCount = 0;
        foreach (var file in SnapshotFiles()) file.Handle.Dispose();
        lock (_filesLock) _files.Clear();
    }

    private QueueFile[] SnapshotFiles()
    {
        lock (_filesLock) return [.. _files.Values];
    }

    private QueueFile? FileFor(long queueOffset, bool create)
    {
        long first = queueOffset / _unitsPerFile * _unitsPerFile;
        lock (_filesLock)
        {
            if (_files.TryGetValue(first, out var file)) return file;
            if (!create) return null;
            _fileSystem.CreateDirectory(_directory);
            file = new QueueFile(first, _fileSystem.Open(FilePath(first)));
            _files.Add(first, file);
            return file;
        }
    }

    private string FilePath(long firstOffset) =>
        Path.Combine(_directory, (firstOffset * ConsumeQueueUnit.Bytes).ToString("D20", CultureInfo.InvariantCulture));

    private sealed record MinOffsetCache(long RetainedPos, long MinOffset);

    private sealed class QueueFile(long firstOffset, IStoredFile handle)
    {
        public long FirstOffset { get; } = firstOffset;

        public IStoredFile Handle { get; } = handle;

        public volatile bool Dirty;
    }
}
