using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Tests.Log;

/// <summary>A store directory under the temp path, deleted on dispose. Tiny segments make entries cross boundaries.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore(long segmentSize = 4096, int indexUnitsPerFile = 64, int cachedEntries = 1 << 16, long verifyBytes = 2L << 30)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "raftmq-log-tests", Guid.NewGuid().ToString("N"));
        Options = new LogStoreOptions
        {
            StorePath = Path,
            SegmentSizeBytes = segmentSize,
            IndexUnitsPerFile = indexUnitsPerFile,
            CachedRecentEntries = cachedEntries,
            RecoveryVerifyBytes = verifyBytes,
        };
    }

    public string Path { get; }
    public LogStoreOptions Options { get; }
    public RecordingLogger Logger { get; } = new();
    public string DataDir => System.IO.Path.Combine(Path, "data");
    public string IndexDir => System.IO.Path.Combine(Path, "index");

    public SegmentedLog Open() => SegmentedLog.Open(Options, Logger);

    public string[] DataFiles() => Directory.GetFiles(DataDir).Order(StringComparer.Ordinal).ToArray();
    public string[] IndexFiles() => Directory.GetFiles(IndexDir).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Data file and offset holding global pos <paramref name="pos"/>.</summary>
    public (string File, long Offset) Locate(long pos) =>
        (System.IO.Path.Combine(DataDir, (pos / Options.SegmentSizeBytes * Options.SegmentSizeBytes).ToString("D20")), pos % Options.SegmentSizeBytes);

    public void FlipBit(long pos, int bit = 0)
    {
        var (file, offset) = Locate(pos);
        FlipFileBit(file, offset, bit);
    }

    public static void FlipFileBit(string file, long offset, int bit = 0)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        int value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ (1 << bit)));
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

/// <summary>Builds contiguous entries (pos = previous end pos) with deterministic bodies.</summary>
internal sealed class EntryChain(long nextIndex = 1, long nextPos = 0, int seed = 1)
{
    private readonly Random _random = new(seed);

    public long NextIndex { get; private set; } = nextIndex;
    public long NextPos { get; private set; } = nextPos;

    public static EntryChain After(SegmentedLog log, int seed = 1) => new(log.LastIndex + 1, log.NextPos, seed);

    public LogEntry Next(long term, int bodyLength, EntryType type = EntryType.Normal)
    {
        var body = new byte[bodyLength];
        _random.NextBytes(body);
        var entry = new LogEntry(NextIndex, term, NextPos, type, body);
        NextIndex++;
        NextPos = entry.EndPos;
        return entry;
    }

    public List<LogEntry> Take(int count, long term, int bodyLength)
    {
        var entries = new List<LogEntry>(count);
        for (int i = 0; i < count; i++) entries.Add(Next(term, bodyLength));
        return entries;
    }
}

internal static class LogAssert
{
    public static void SameEntry(LogEntry expected, LogEntry actual)
    {
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.Term, actual.Term);
        Assert.Equal(expected.Pos, actual.Pos);
        Assert.Equal(expected.Type, actual.Type);
        Assert.True(expected.Body.Span.SequenceEqual(actual.Body.Span), $"body of entry {expected.Index} differs");
    }

    public static void SameEntries(IReadOnlyList<LogEntry> expected, IReadOnlyList<LogEntry> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) SameEntry(expected[i], actual[i]);
    }

    public static IReadOnlyList<LogEntry> All(SegmentedLog log) =>
        log.LastIndex < log.FirstIndex ? [] : log.Entries(log.FirstIndex, log.LastIndex, long.MaxValue);
}

/// <summary>Keeps every log line so that tests can assert on warnings and event ids.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly List<(LogLevel Level, int EventId, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Lines
    {
        get
        {
            lock (_lines) return _lines.ToList();
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => NullLogger.Instance.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines) _lines.Add((logLevel, eventId.Id, formatter(state, exception)));
    }
}
