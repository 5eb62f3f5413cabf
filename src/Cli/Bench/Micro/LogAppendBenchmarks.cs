using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Cli.Bench.Micro;

/// <summary>
/// Appending a batch of 1 KiB entries to the segmented log in a temporary folder, with and without the fsync that
/// SYNC_FLUSH pays once per batch (group commit). The fsync variant measures the disk of this machine.
/// </summary>
[MemoryDiagnoser]
public class LogAppendBenchmarks
{
    private const int BodyBytes = 1024;
    private readonly byte[] _body = new byte[BodyBytes];
    private string _directory = "";
    private SegmentedLog _log = null!;
    private LogEntry[] _batch = [];
    private long _nextIndex;
    private long _nextPos;

    [Params(16)]
    public int EntriesPerBatch { get; set; }

    [Params(false, true)]
    public bool Fsync { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "raftmq-bench-log-" + Guid.NewGuid().ToString("N"));
        _log = SegmentedLog.Open(new LogStoreOptions { StorePath = _directory, SegmentSizeBytes = 64L << 20 }, NullLogger.Instance);
        _nextIndex = _log.LastIndex + 1;
        _nextPos = _log.NextPos;
        _batch = new LogEntry[EntriesPerBatch];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "log: append batch")]
    public long AppendBatch()
    {
        for (int i = 0; i < _batch.Length; i++)
        {
            var entry = new LogEntry(_nextIndex++, 1, _nextPos, EntryType.Normal, _body);
            _nextPos = entry.EndPos;
            _batch[i] = entry;
        }
        _log.Append(_batch);
        if (Fsync) _log.Sync();
        return _nextIndex;
    }
}
