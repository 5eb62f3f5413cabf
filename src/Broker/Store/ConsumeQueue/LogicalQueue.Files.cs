using System.Globalization;

namespace RaftMq.Broker.Store.ConsumeQueue;

internal sealed partial class LogicalQueue
{
    /// <summary>
    /// Checks that the files hold every unit in [FloorOffset, NextOffset) as the checkpoint promises: no file missing,
    /// none short, and the units at the range's ends and at every file start plausible. Returns the problem or null.
    /// </summary>
    public string? Verify()
    {
        long floor = FloorOffset;
        long next = NextOffset;
        if (next <= floor) return null;
        for (long first = floor / _unitsPerFile * _unitsPerFile; first < next; first += _unitsPerFile)
        {
            var file = FileFor(first, create: false);
            if (file is null) return $"file {FilePath(first)} is missing";
            long needUnits = Math.Min(next - first, _unitsPerFile);
            long length = file.Handle.Length;
            if (length < needUnits * ConsumeQueueUnit.Bytes)
            {
                return $"file {FilePath(first)} holds {length} bytes, the checkpoint needs {needUnits * ConsumeQueueUnit.Bytes}";
            }
            long probe = Math.Max(first, floor);
            if (!TryReadUnit(probe, out var unit) || !unit.IsPlausible) return $"unit {probe} is damaged ({unit})";
        }
        return VerifyTail(floor, next);
    }

    /// <summary>The last file is the one a crash can leave torn: every unit of it in range must be plausible and
    /// point at increasing physical offsets.</summary>
    private string? VerifyTail(long floor, long next)
    {
        long from = Math.Max(floor, (next - 1) / _unitsPerFile * _unitsPerFile);
        Span<ConsumeQueueUnit> units = stackalloc ConsumeQueueUnit[64];
        long previous = -1;
        for (long offset = from; offset < next;)
        {
            int read = Read(offset, units[..(int)Math.Min(units.Length, next - offset)]);
            if (read == 0) return $"unit {offset} cannot be read";
            for (int i = 0; i < read; i++)
            {
                var unit = units[i];
                if (!unit.IsPlausible || unit.PhysicalOffset <= previous) return $"unit {offset + i} is damaged ({unit})";
                previous = unit.PhysicalOffset;
            }
            offset += read;
        }
        return null;
    }

    /// <summary>Makes the units below the file holding <paramref name="minOffset"/> unavailable: their messages were removed
    /// from the log by retention. Persisted by the next checkpoint; only then are the files deleted.</summary>
    public void RaiseFloorForRetention(long minOffset)
    {
        long fileStart = Math.Min(minOffset, NextOffset) / _unitsPerFile * _unitsPerFile;
        if (fileStart > FloorOffset) Volatile.Write(ref _floorOffset, fileStart);
    }

    /// <summary>Deletes files that hold only units below <see cref="FloorOffset"/>; returns how many.</summary>
    public int DeleteFilesBelowFloor()
    {
        long floor = FloorOffset;
        var doomed = new List<QueueFile>();
        lock (_filesLock)
        {
            foreach (var file in _files.Values)
            {
                if (file.FirstOffset + _unitsPerFile <= floor) doomed.Add(file);
            }
            foreach (var file in doomed) _files.Remove(file.FirstOffset);
        }
        foreach (var file in doomed)
        {
            file.Handle.Dispose();
            _fileSystem.Delete(FilePath(file.FirstOffset));
        }
        return doomed.Count;
    }

    /// <summary>
    /// Retires a dropped queue: forgets its buffered units, closes its files and renames each to
    /// <c>{name}.dropped-{index}</c> (a name a re-created queue of the topic ignores), so that the files stay until a
    /// checkpoint no longer lists the queue, and a restart from an older checkpoint can put them back.
    /// </summary>
    public void Retire(long index)
    {
        Dispose();
        string suffix = DroppedSuffix(index);
        bool moved = false;
        foreach (string path in _fileSystem.EnumerateFiles(_directory))
        {
            if (!IsQueueFileName(Path.GetFileName(path))) continue;
            _fileSystem.Move(path, path + suffix);
            moved = true;
        }
        if (moved) _fileSystem.SyncDirectory(_directory); // units still in the tail never reached a file
    }

    /// <summary>The name ending of a file retired by the entry at <paramref name="index"/>.</summary>
    public static string DroppedSuffix(long index) => ".dropped-" + index.ToString("D20", CultureInfo.InvariantCulture);

    private static bool IsQueueFileName(string name) => name.Length == 20 && long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>Planted bug <see cref="StorePlantedBugs.ResumeQueuesAfterWrittenUnits"/>: the next offset becomes the end
    /// of the units the last file holds, even past what the checkpoint vouches for.</summary>
    internal void ResumeAfterWrittenUnits()
    {
        QueueFile? last;
        lock (_filesLock) last = _files.Count == 0 ? null : _files.Values[^1];
        if (last is null) return;
        long written = last.FirstOffset + (last.Handle.Length / ConsumeQueueUnit.Bytes);
        if (written > NextOffset) Volatile.Write(ref _nextOffset, written);
    }

    private void OpenExistingFiles()
    {
        foreach (string path in _fileSystem.EnumerateFiles(_directory))
        {
            string name = Path.GetFileName(path);
            if (name.Length != 20 || !long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out long bytePosition)) continue;
            if (bytePosition % ((long)_unitsPerFile * ConsumeQueueUnit.Bytes) != 0) continue; // written with another file size
            long first = bytePosition / ConsumeQueueUnit.Bytes;
            var handle = _fileSystem.Open(path);
            lock (_filesLock) _files.Add(first, new QueueFile(first, handle));
        }
    }
}
