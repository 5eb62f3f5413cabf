using Microsoft.Extensions.Logging;
using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Log;

/// <summary>
/// The durable, DLedger-like Raft log: entries in byte-addressed data segments (an entry may span two
/// segments, so every entry's pos is the previous entry's end pos), 32-byte index units, a base record for the
/// compacted prefix, a lazy checkpoint of the synced prefix, and the latest snapshot. See docs/design/log-format.md.
/// Mutating members (Append, Sync, TruncateSuffix, InstallSnapshot, SaveSnapshot, DeleteSegmentsBefore) must be
/// called from one thread at a time (the node loop); reading members may be called from any thread concurrently.
/// </summary>
public sealed partial class SegmentedLog : IRaftLog, IDisposable
{
    internal const string DataDirectory = "data";
    internal const string IndexDirectory = "index";

    private readonly LogStoreOptions _options;
    private readonly ILogger _logger;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly SegmentedFileSet _data;
    private readonly SegmentedFileSet _index;
    private readonly BaseRecordFile _baseFile;
    private readonly CheckpointFile _checkpoint;
    private readonly SnapshotStore _snapshots;
    private readonly RecentUnits _recent;

    private BaseRecord _base = BaseRecord.Empty;
    private long _lastIndex;
    private long _nextPos;
    private long _durableIndex;
    private long _checkpointIndex;
    private long _indexSyncedIndex;
    private long _indexSyncedEndPos;
    private Snapshot? _snapshot;

    /// <summary>The last <see cref="ConfigEntries"/> answer (written under the read lock by the single reader at start).</summary>
    private volatile ConfigScan? _configScan;
    private volatile string? _corruption;

    private SegmentedLog(LogStoreOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        var fileSystem = options.FileSystem;
        fileSystem.CreateDirectory(options.StorePath);
        _data = new SegmentedFileSet(fileSystem, Path.Combine(options.StorePath, DataDirectory), options.SegmentSizeBytes, 1);
        _index = new SegmentedFileSet(fileSystem, Path.Combine(options.StorePath, IndexDirectory), (long)options.IndexUnitsPerFile * IndexUnit.Size, IndexUnit.Size);
        _baseFile = new BaseRecordFile(options.StorePath, fileSystem);
        _checkpoint = new CheckpointFile(options.StorePath, fileSystem);
        _snapshots = new SnapshotStore(options.StorePath, fileSystem);
        _recent = new RecentUnits(options.CachedRecentEntries);
    }

    /// <summary>
    /// Opens (creating when absent) the log under <see cref="LogStoreOptions.StorePath"/> and recovers it: a torn,
    /// never-synced tail is truncated; damage to synced data yields a log with <see cref="IsCorrupt"/> set (nothing
    /// is changed on disk then). Throws only for invalid options or I/O errors.
    /// </summary>
    public static SegmentedLog Open(LogStoreOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var log = new SegmentedLog(options, logger);
        try
        {
            log.Recover();
        }
        catch
        {
            log.Dispose();
            throw;
        }
        return log;
    }

    public long FirstIndex => Read(static log => log._base.Index + 1);
    public long LastIndex => Read(static log => log._lastIndex);
    public long NextPos => Read(static log => log._nextPos);

    /// <summary>Pos where the entry after <paramref name="index"/> starts: the first retained entry's for an index
    /// below the log's head, <see cref="NextPos"/> for the last index or beyond.</summary>
    public long PosAfter(long index) => Read(log =>
        index < log._base.Index ? log._base.Pos : log.PosOf(Math.Min(index, log._lastIndex) + 1));

    /// <summary>Pos of <see cref="FirstIndex"/>: the first byte still retained.</summary>
    public long FirstPos => Read(static log => log._base.Pos);

    /// <summary>The last index known to be fsynced.</summary>
    public long DurableIndex => Read(static log => log._durableIndex);

    public Snapshot? LatestSnapshot => Read(static log => log._snapshot);

    /// <summary>True when stored data failed a check that a crash cannot explain. The node must not vote or lead.</summary>
    public bool IsCorrupt => _corruption is not null;

    /// <summary>Which file, position and check failed, when <see cref="IsCorrupt"/>.</summary>
    public string? CorruptionReason => _corruption;

    public long TermAt(long index)
    {
        if (index == 0) return 0;
        _lock.EnterReadLock();
        try
        {
            if (index < _base.Index || index > _lastIndex)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"TermAt answers for indexes [{_base.Index}, {_lastIndex}] and 0");
            return TermAtLocked(index);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose()
    {
        _data.Dispose();
        _index.Dispose();
        _checkpoint.Dispose();
        _lock.Dispose();
    }

    /// <summary>Start pos and last write time of each data segment, in pos order (retention picks expired ones).</summary>
    internal List<(long Start, DateTime Written)> DataSegmentWriteTimes()
    {
        _lock.EnterReadLock();
        try
        {
            var segments = new List<(long Start, DateTime Written)>();
            foreach (long number in _data.FileNumbers)
            {
                long start = number * _data.FileSize;
                segments.Add((start, _options.FileSystem.GetLastWriteTimeUtc(_data.PathFor(start))));
            }
            return segments;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private long TermAtLocked(long index) =>
        index == 0 ? 0 : index == _base.Index ? _base.Term : UnitAt(index).Term;

    /// <summary>Pos of entry <paramref name="index"/> in [FirstIndex, LastIndex + 1].</summary>
    private long PosOf(long index) =>
        index == _lastIndex + 1 ? _nextPos : index == _base.Index + 1 ? _base.Pos : UnitAt(index).Pos;

    private T Read<T>(Func<SegmentedLog, T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read(this);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void ThrowIfCorrupt()
    {
        if (_corruption is { } reason) throw new InvalidOperationException($"the Raft log is corrupt and refuses changes: {reason}");
    }

    /// <summary>Records corruption found after Open (first reason wins) and returns the exception to throw.</summary>
    private LogCorruptedException CorruptionFound(string reason)
    {
        if (Interlocked.CompareExchange(ref _corruption, reason, null) is null)
            _logger.Corrupt(_options.StorePath, reason);
        return new LogCorruptedException($"Raft log corrupt: {reason}");
    }
}
