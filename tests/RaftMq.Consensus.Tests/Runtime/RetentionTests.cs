using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Consensus.Runtime;
using RaftMq.Consensus.Tests.Log;

namespace RaftMq.Consensus.Tests.Runtime;

public sealed class RetentionTests
{
    private const long SegmentSize = 1024;

    [Fact]
    public void Pass_snapshots_at_the_applied_index_and_deletes_only_expired_segments_below_it()
    {
        using var store = new TempStore(segmentSize: SegmentSize);
        using var log = store.Open();
        var machine = Fill(log, entries: 40, appliedUpTo: 30);
        var now = DateTimeOffset.UtcNow;
        string[] files = store.DataFiles();
        // Segments 0 and 1 are old, the rest recent: the scan stops at the first recent one.
        for (int i = 0; i < files.Length; i++) File.SetLastWriteTimeUtc(files[i], (i < 2 ? now.AddHours(-100) : now).UtcDateTime);

        var result = new RetentionPass(log, machine, SegmentSize).Run(now.AddHours(-72));

        Assert.Equal(30, result.SnapshotIndex);
        Assert.Equal(30, log.LatestSnapshot!.Index);
        Assert.Equal(2, result.DeletedSegments);
        Assert.Equal(files.Skip(2), store.DataFiles());
        Assert.True(log.FirstIndex - 1 <= 30, "nothing above the snapshot was deleted");
    }

    [Fact]
    public void Pass_never_deletes_entries_the_state_machine_has_not_applied()
    {
        using var store = new TempStore(segmentSize: SegmentSize);
        using var log = store.Open();
        var machine = Fill(log, entries: 40, appliedUpTo: 3);

        var result = new RetentionPass(log, machine, SegmentSize).Run(DateTimeOffset.UtcNow.AddHours(1));

        Assert.True(log.FirstIndex <= 4, $"first index {log.FirstIndex} passed the applied index 3");
        Assert.Equal(3, result.SnapshotIndex);
        for (long index = log.FirstIndex; index <= 40; index++) Assert.Single(log.Entries(index, index, 1));
    }

    [Fact]
    public void Pass_keeps_everything_when_no_segment_is_expired()
    {
        using var store = new TempStore(segmentSize: SegmentSize);
        using var log = store.Open();
        var machine = Fill(log, entries: 40, appliedUpTo: 40);
        int before = store.DataFiles().Length;

        var result = new RetentionPass(log, machine, SegmentSize).Run(DateTimeOffset.UtcNow.AddHours(-72));

        Assert.Equal(RetentionResult.Nothing, result);
        Assert.Null(log.LatestSnapshot);
        Assert.Equal(before, store.DataFiles().Length);
    }

    [Theory]
    [InlineData(4, 0.10, true)]
    [InlineData(5, 0.10, false)]
    [InlineData(5, 0.80, true)]
    public async Task Service_runs_a_pass_at_deleteWhen_hours_or_when_the_disk_is_full(int hour, double diskUsed, bool runs)
    {
        var clock = new FixedClock(new DateTimeOffset(2025, 3, 1, hour, 30, 0, TimeSpan.Zero));
        var policy = new RetentionPolicy(TimeSpan.FromHours(72), [4], 75);
        DateTimeOffset? asked = null;
        var service = new RetentionService(policy, TimeSpan.FromMinutes(1), clock, () => diskUsed,
            expiredBefore =>
            {
                asked = expiredBefore;
                return Task.FromResult(new RetentionResult(1, 1, 2));
            }, NullLogger<RetentionService>.Instance, "n0");

        var result = await service.CheckOnceAsync();

        Assert.Equal(runs, result is not null);
        Assert.Equal(runs ? clock.GetUtcNow().AddHours(-72) : null, asked);
    }

    /// <summary>Appends entries of ~100 bytes (several per 1 KiB segment) and a state machine applied up to a point.</summary>
    private static RecordingStateMachine Fill(SegmentedLog log, int entries, long appliedUpTo)
    {
        long pos = 0;
        var batch = new List<LogEntry>();
        for (int i = 1; i <= entries; i++)
        {
            var entry = new LogEntry(i, 1, pos, EntryType.Normal, new byte[60]);
            batch.Add(entry);
            pos = entry.EndPos;
        }
        log.Append(batch);
        log.Sync();
        var machine = new RecordingStateMachine();
        foreach (var entry in log.Entries(1, appliedUpTo, long.MaxValue)) machine.Apply(entry);
        return machine;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
