using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Cli.Bench;

/// <summary>
/// <c>raftmq bench raft</c>: measures (a) the disk's raw fsync rate, (b) single-node log append throughput with group
/// commit (1 KiB entries, one fsync per batch), (c) 3-node loopback commit throughput and p50/p99 latency of 1 KiB
/// entries with 1, 64 and 256 appends in flight, for SYNC_FLUSH and ASYNC_FLUSH. Each cell runs a bounded time.
/// Options: <c>--dir PATH</c> (scratch directory on the disk to measure; default the temp directory),
/// <c>--seconds N</c> (per cell, default 3).
/// </summary>
public static partial class RaftBench
{
    private const int EntryBytes = 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!TryParse(args, out string root, out TimeSpan cell))
        {
            await Console.Error.WriteLineAsync("usage: raftmq bench raft [--dir PATH] [--seconds N]");
            return 2;
        }
        string scratch = Path.Combine(root, "raftmq-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var rows = new List<string[]>();
            double fsyncs = MeasureFsyncRate(Path.Combine(scratch, "fsync"), cell);
            rows.Add(["(a) raw fsync, 1 KiB write + fsync", "1", Rate(fsyncs), "", "", ""]);
            foreach (int batch in new[] { 64, 256 })
            {
                double entries = MeasureLogAppend(Path.Combine(scratch, $"log-{batch}"), batch, cell);
                rows.Add([$"(b) SegmentedLog append, batch {batch}, 1 fsync/batch", batch.ToString(CultureInfo.InvariantCulture), Rate(entries),
                    Rate(entries / batch), "", ""]);
            }
            foreach (var flush in new[] { FlushDiskType.SyncFlush, FlushDiskType.AsyncFlush })
            {
                foreach (var result in await MeasureGroupAsync(Path.Combine(scratch, flush.ToString()), flush, [1, 64, 256], cell))
                {
                    rows.Add([$"(c) 3-node loopback commit, {(flush == FlushDiskType.SyncFlush ? "SYNC_FLUSH" : "ASYNC_FLUSH")}",
                        result.InFlight.ToString(CultureInfo.InvariantCulture), Rate(result.PerSecond), "", Millis(result.P50), Millis(result.P99)]);
                }
            }
            PrintTable(["measurement", "in flight / batch", "entries/s", "fsyncs/s", "p50 ms", "p99 ms"], rows);
            return 0;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static bool TryParse(string[] args, out string root, out TimeSpan cell)
    {
        root = Path.GetTempPath();
        cell = TimeSpan.FromSeconds(3);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "raft") continue;
            if (i + 1 >= args.Length) return false;
            switch (args[i])
            {
                case "--dir":
                    root = args[++i];
                    break;
                case "--seconds" when int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds is > 0 and <= 60:
                    cell = TimeSpan.FromSeconds(seconds);
                    i++;
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>(a) Overwrites one 1 KiB block and fsyncs it, as fast as the disk allows.</summary>
    private static double MeasureFsyncRate(string path, TimeSpan duration)
    {
        var block = new byte[EntryBytes];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            file.Position = 0;
            file.Write(block);
            file.Flush(flushToDisk: true);
            count++;
        }
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>(b) Appends batches of 1 KiB entries to a SegmentedLog with one Sync per batch.</summary>
    private static double MeasureLogAppend(string path, int batchSize, TimeSpan duration)
    {
        using var log = SegmentedLog.Open(new LogStoreOptions { StorePath = path, SegmentSizeBytes = 64L << 20 }, NullLogger.Instance);
        var body = new byte[EntryBytes];
        var batch = new LogEntry[batchSize];
        long index = 0, pos = 0, entries = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < batchSize; i++)
            {
                batch[i] = new LogEntry(++index, 1, pos, EntryType.Normal, body);
                pos = batch[i].EndPos;
            }
            log.Append(batch);
            log.Sync();
            entries += batchSize;
        }
        return entries / clock.Elapsed.TotalSeconds;
    }

    private static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);

    private static string Millis(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture);

    private static void PrintTable(string[] header, List<string[]> rows)
    {
        Console.WriteLine("| " + string.Join(" | ", header) + " |");
        Console.WriteLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var row in rows) Console.WriteLine("| " + string.Join(" | ", row) + " |");
    }
}
