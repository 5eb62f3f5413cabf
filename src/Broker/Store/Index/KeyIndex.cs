using System.Globalization;
using Microsoft.Extensions.Logging;
using RaftMq.Foundation.Storage;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Store.Index;

/// <summary>The active file and its header as of one moment between two applied entries (for a checkpoint).</summary>
internal readonly record struct KeyIndexState(IndexFile File, IndexFileHeader Header);

/// <summary>
/// (topic, key) -> physical offsets of the messages carrying the key, on disk (docs/design/key-index.md): a sequence of
/// fixed-size <see cref="IndexFile"/>s <c>{20-digit sequence}.idx</c>, only the newest (active) one mapped and written.
/// Managed memory holds one header per file whatever the number of keys. The index covers the log range
/// [first file's CoveredFrom, <see cref="CoveredTo"/>) and is derived from it: a damaged file is deleted with every later
/// one, and the store indexes the log again from where the last intact file ends. Thread-safe.
/// </summary>
internal sealed class KeyIndex : IDisposable
{
    private const string Extension = ".idx";
    private readonly IFileSystem _fileSystem;
    private readonly string _directory;
    private readonly int _slotCount;
    private readonly int _entryCapacity;
    private readonly ILogger _logger;
    private readonly StorePlantedBugs _bugs;

    /// <summary>Guards the file list and the active file's content.</summary>
    private readonly Lock _lock = new();

    /// <summary>Guards the active file's lifetime against a flush running outside <see cref="_lock"/>.</summary>
    private readonly Lock _lifetimeLock = new();
    private readonly List<(string Path, IndexFileHeader Header)> _sealed = [];
    private IndexFile _active = null!;
    private long _nextSequence;
    private int _transientMappings;

    public KeyIndex(IFileSystem fileSystem, string directory, int slotCount, int entryCapacity, ILogger logger, StorePlantedBugs bugs = StorePlantedBugs.None)
    {
        _bugs = bugs;
        _fileSystem = fileSystem;
        _directory = directory;
        _slotCount = slotCount;
        _entryCapacity = entryCapacity;
        _logger = logger;
        fileSystem.CreateDirectory(directory);
        Load();
    }

    /// <summary>Every message of the log before this pos is indexed (as far as the log still held it).</summary>
    public long CoveredTo
    {
        get
        {
            lock (_lock) return _active.Header.CoveredTo;
        }
    }

    /// <summary>Entries in all files.</summary>
    public long EntryCount
    {
        get
        {
            lock (_lock) return _active.Header.EntryCount + _sealed.Sum(static file => (long)file.Header.EntryCount);
        }
    }

    /// <summary>Files on disk (sealed ones plus the active one).</summary>
    public int FileCount
    {
        get
        {
            lock (_lock) return _sealed.Count + 1;
        }
    }

    /// <summary>
    /// Why a file whose header was intact was dropped at the start (its entries or its sealed slot table fail their
    /// checksums), or null. A header vouches only for what was durable before it was written, so after a crash this
    /// means the flush order is broken; a torn header or a file cut short while being created is not this.
    /// </summary>
    public string? VouchedDamage { get; private set; }

    /// <summary>Files mapped into memory right now: the active one plus any a query is reading.</summary>
    public int MappedFileCount => 1 + Volatile.Read(ref _transientMappings);

    /// <summary>Objects the index keeps on the managed heap: one header per file; independent of the number of keys.</summary>
    public int ManagedRecordCount => FileCount;

    /// <summary>Java <c>String.hashCode()</c> of <c>topic#key</c> (RocketMQ's index key) is the hash of the key seeded
    /// with this.</summary>
    public static int TopicSeed(string topic) => unchecked((31 * JavaStringHash.Compute(topic)) + '#');

    public static int Hash(string topic, string key) => JavaStringHash.Compute(key, TopicSeed(topic));

    /// <summary>Indexes one key of the message at <paramref name="physicalOffset"/> (on the apply thread, in log order).</summary>
    public void Add(int keyHash, long physicalOffset, long storeTimestamp)
    {
        lock (_lock)
        {
            if (_active.IsFull) Rotate();
            _active.Add(keyHash, physicalOffset, storeTimestamp);
        }
    }

    /// <summary>Records that every message before <paramref name="pos"/> is indexed.</summary>
    public void MarkCovered(long pos)
    {
        lock (_lock) _active.MarkCovered(pos);
    }

    /// <summary>
    /// Physical offsets of messages that may carry the key and were stored within [begin, end] ms, newest first,
    /// distinct, at most <paramref name="max"/>. Hash collisions and second-resolution times are left for the caller
    /// to check against the messages.
    /// </summary>
    public List<long> Candidates(string topic, string key, long begin, long end, int max)
    {
        int hash = Hash(topic, key);
        var candidates = new List<long>();
        (string Path, IndexFileHeader Header)[] older;
        lock (_lock)
        {
            if (Overlaps(_active.Header, begin, end)) _active.Select(hash, begin, end, candidates, max);
            older = [.. _sealed];
        }
        for (int i = older.Length - 1; i >= 0 && candidates.Count < max; i--)
        {
            if (Overlaps(older[i].Header, begin, end)) SelectFromSealed(older[i].Path, older[i].Header, hash, begin, end, candidates, max);
        }
        return Distinct(candidates);
    }

    /// <summary>The active file's state between two applied entries (call under the store's apply lock).</summary>
    public KeyIndexState Capture()
    {
        lock (_lock) return new KeyIndexState(_active, _active.Header);
    }

    /// <summary>Makes the index durable up to <paramref name="state"/>. A file sealed since then was made durable by its seal.</summary>
    public void Flush(KeyIndexState state)
    {
        lock (_lifetimeLock)
        {
            if (!ReferenceEquals(state.File, _active)) return;
            state.File.Flush(state.Header, inOneStep: _bugs.HasFlag(StorePlantedBugs.FlushIndexInOneStep));
        }
    }

    /// <summary>Deletes sealed files all of whose messages are below <paramref name="firstRetainedPos"/> (removed by log retention).</summary>
    public void DeleteFilesBelow(long firstRetainedPos)
    {
        List<string> deleted = [];
        lock (_lock)
        {
            while (_sealed.Count > 0 && _sealed[0].Header.CoveredTo <= firstRetainedPos)
            {
                deleted.Add(_sealed[0].Path);
                _sealed.RemoveAt(0);
            }
        }
        foreach (string path in deleted) _fileSystem.Delete(path);
    }

    /// <summary>Deletes every file and starts empty, covering the log from <paramref name="coveredFrom"/>.</summary>
    public void Reset(long coveredFrom)
    {
        lock (_lock)
        {
            lock (_lifetimeLock)
            {
                _active.Dispose();
                foreach (string path in IndexFiles()) _fileSystem.Delete(path);
                _sealed.Clear();
                _nextSequence = 0;
                _active = CreateFile(coveredFrom);
            }
        }
    }

    /// <summary>The process died: releases the active file's mapping without writing anything (the simulator's crash).</summary>
    public void Abandon()
    {
        lock (_lock)
        {
            lock (_lifetimeLock) _active.Dispose();
        }
    }

    /// <summary>Orderly close: writes the slot table's checksum so the next start can trust it without a rebuild.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            lock (_lifetimeLock)
            {
                _active.Close(IndexFileFlags.None);
                _active.Dispose();
            }
        }
    }

    private static bool Overlaps(IndexFileHeader header, long begin, long end) =>
        header.EntryCount > 0 && header.MinTimestamp <= end && header.EndTimestamp >= begin;

    private static List<long> Distinct(List<long> candidates)
    {
        var seen = new HashSet<long>();
        candidates.RemoveAll(offset => !seen.Add(offset)); // a message with a key listed twice, or indexed again after a rebuild
        return candidates;
    }

    private void SelectFromSealed(string path, IndexFileHeader header, int hash, long begin, long end, List<long> candidates, int max)
    {
        Interlocked.Increment(ref _transientMappings);
        try
        {
            using var file = IndexFile.Open(_fileSystem, path, header, writable: false);
            file.Select(hash, begin, end, candidates, max);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Deleted by retention meanwhile: its messages are gone too.
        }
        finally
        {
            Interlocked.Decrement(ref _transientMappings);
        }
    }

    /// <summary>The active file is full: seal it (durable, with a complete slot table) and continue in a new one.</summary>
    private void Rotate()
    {
        lock (_lifetimeLock)
        {
            _active.Close(IndexFileFlags.Sealed);
            _sealed.Add((_active.Path, _active.Header));
            _active.Dispose();
            _active = CreateFile(_active.Header.CoveredTo);
        }
    }

    private IndexFile CreateFile(long coveredFrom)
    {
        string path = Path.Combine(_directory, _nextSequence.ToString("D20", CultureInfo.InvariantCulture) + Extension);
        _nextSequence++;
        var file = IndexFile.Create(_fileSystem, path, _slotCount, _entryCapacity, coveredFrom);
        _fileSystem.SyncDirectory(_directory);
        return file;
    }

    private string[] IndexFiles()
    {
        string[] paths = [.. _fileSystem.EnumerateFiles(_directory).Where(static path => path.EndsWith(Extension, StringComparison.Ordinal))];
        Array.Sort(paths, StringComparer.Ordinal);
        return paths;
    }

    /// <summary>Opens the files in order, trusting none unchecked: the first damaged one and all after it are deleted.</summary>
    private void Load()
    {
        string legacyJournal = Path.Combine(_directory, "keys.journal");
        if (_fileSystem.FileExists(legacyJournal)) _fileSystem.Delete(legacyJournal); // the in-memory index's journal; the log rebuilds its keys
        string[] paths = IndexFiles();
        long coveredTo = 0;
        for (int i = 0; i < paths.Length; i++)
        {
            string? problem = LoadFile(paths[i], isLast: i == paths.Length - 1, ref coveredTo);
            if (problem is null) continue;
            for (int j = i; j < paths.Length; j++) _fileSystem.Delete(paths[j]);
            _logger.KeyIndexFileDamaged(paths[i], problem, paths.Length - i - 1, coveredTo);
            break;
        }
        if (paths.Length > 0) _nextSequence = SequenceOf(paths[^1]) + 1;
        _active ??= CreateFile(coveredTo);
    }

    /// <summary>Checks one file and adopts it (sealed, or as the active file); returns why it is unusable instead.</summary>
    private string? LoadFile(string path, bool isLast, ref long coveredTo)
    {
        IndexFile? file = null;
        try
        {
            if (SequenceOf(path) < 0) return "its name is not a sequence number";
            if (IndexFile.ReadHeader(_fileSystem, path, out string? problem) is not { } header) return problem;
            if (header.CoveredFrom != coveredTo && coveredTo != 0) return $"it starts at pos {header.CoveredFrom}, not where the previous file ends ({coveredTo})";
            if (!header.IsSealed && !isLast) return "an unsealed file is followed by others";
            file = IndexFile.Open(_fileSystem, path, header, writable: !header.IsSealed);
            if (file.VerifyEntries() is { } damage)
            {
                VouchedDamage = $"{path}: {damage}";
                return damage;
            }
            if (header.IsSealed)
            {
                if (!file.SlotsAreComplete())
                {
                    VouchedDamage = $"{path}: its slot table fails its checksum";
                    return "its slot table fails its checksum";
                }
                _sealed.Add((path, header));
            }
            else
            {
                AdoptActive(file);
                file = null;
            }
            coveredTo = header.CoveredTo;
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return exception.Message;
        }
        finally
        {
            file?.Dispose();
        }
    }

    private void AdoptActive(IndexFile file)
    {
        if (!file.SlotsAreComplete())
        {
            file.RebuildSlots();
            _logger.KeyIndexSlotsRebuilt(file.Path, file.Header.EntryCount);
        }
        if (file.Header.SlotCount == _slotCount && file.Header.EntryCapacity == _entryCapacity)
        {
            _active = file;
            return;
        }
        // maxHashSlotNum / maxIndexNum changed: keep the file as it is and continue in one of the new size.
        file.Close(IndexFileFlags.Sealed);
        _sealed.Add((file.Path, file.Header));
        file.Dispose();
    }

    private static long SequenceOf(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence) ? sequence : -1;
}
