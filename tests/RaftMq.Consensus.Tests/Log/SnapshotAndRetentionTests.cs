using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Tests.Log;

public class SnapshotAndRetentionTests
{
    private static readonly byte[] StateMachineData = [9, 8, 7];

    [Fact]
    public void InstallSnapshot_resets_the_log_to_empty_at_the_snapshot()
    {
        using var store = new TempStore(segmentSize: 4096);
        var snapshot = new Snapshot(Index: 500, Term: 7, NextPos: 123_456, StateMachineData);
        using (var log = store.Open())
        {
            log.Append(new EntryChain().Take(30, term: 1, bodyLength: 300));
            log.Sync();
            log.InstallSnapshot(snapshot);
            AssertEmptyAt(log, snapshot);
            Assert.Empty(store.DataFiles());
            Assert.Empty(store.IndexFiles());
        }
        using (var log = store.Open())
        {
            Assert.False(log.IsCorrupt, log.CorruptionReason);
            AssertEmptyAt(log, snapshot);
            Assert.Equal(StateMachineData, log.LatestSnapshot!.Data.ToArray());
            var next = EntryChain.After(log).Take(5, term: 8, bodyLength: 2000);
            Assert.Equal(123_456, next[0].Pos);
            log.Append(next);
            log.Sync();
            // The first segment now is the one holding the snapshot's next pos.
            Assert.Equal($"{123_456 / 4096 * 4096:D20}", Path.GetFileName(store.DataFiles()[0]));
        }
        using (var log = store.Open())
        {
            Assert.False(log.IsCorrupt, log.CorruptionReason);
            Assert.Equal(505, log.LastIndex);
            Assert.Equal(7, log.TermAt(500));
            Assert.Equal(5, log.Entries(501, 505, long.MaxValue).Count);
        }
    }

    [Fact]
    public void Open_finishes_an_install_that_crashed_before_deleting_the_old_files()
    {
        using var store = new TempStore();
        var snapshot = new Snapshot(40, 5, 9_999, StateMachineData);
        using (var log = store.Open())
        {
            log.Append(new EntryChain().Take(30, term: 1, bodyLength: 300));
            log.Sync();
        }
        // The crash left: the snapshot saved and the base record flagged, old data and index still there.
        new SnapshotStore(store.Path).Save(snapshot);
        new BaseRecordFile(store.Path, RealFileSystem.Instance).Save(new BaseRecord(40, 5, 9_999, ResetPending: true));
        using var reopened = store.Open();
        Assert.False(reopened.IsCorrupt, reopened.CorruptionReason);
        AssertEmptyAt(reopened, snapshot);
        Assert.Empty(store.DataFiles());
    }

    [Fact]
    public void The_snapshot_file_keeps_the_configuration_and_reads_files_written_without_one()
    {
        using var store = new TempStore();
        var snapshots = new SnapshotStore(store.Path);
        var membership = new Membership([new Member("n0", "127.0.0.1:40911")], [new Member("n3", "127.0.0.1:40914", true)]);

        snapshots.Save(new Snapshot(7, 2, 700, StateMachineData) { Membership = membership });
        Snapshot withMembership = snapshots.Load()!;
        snapshots.Save(new Snapshot(9, 2, 900, StateMachineData));
        Snapshot without = snapshots.Load()!;

        Assert.Equal(membership, withMembership.Membership);
        Assert.Equal(StateMachineData, withMembership.Data.ToArray());
        Assert.Null(without.Membership);
        Assert.Equal(StateMachineData, without.Data.ToArray());
    }

    [Fact]
    public void Open_discards_a_log_that_does_not_hold_the_saved_snapshot()
    {
        using var store = new TempStore();
        using (var log = store.Open())
        {
            log.Append(new EntryChain().Take(10, term: 1, bodyLength: 10));
            log.Sync();
        }
        // Crash right after an installed snapshot was saved, before the log was reset.
        var snapshot = new Snapshot(25, 4, 5_000, StateMachineData);
        new SnapshotStore(store.Path).Save(snapshot);
        using var reopened = store.Open();
        Assert.False(reopened.IsCorrupt, reopened.CorruptionReason);
        AssertEmptyAt(reopened, snapshot);
    }

    [Fact]
    public void Retention_without_a_snapshot_deletes_nothing()
    {
        using var store = new TempStore(segmentSize: 4096);
        using var log = store.Open();
        log.Append(new EntryChain().Take(50, term: 1, bodyLength: 500));
        log.Sync();
        Assert.Equal(0, log.DeleteSegmentsBefore(50));
        Assert.Equal(1, log.FirstIndex);
    }

    [Fact]
    public void Retention_deletes_only_whole_segments_below_the_snapshot()
    {
        using var store = new TempStore(segmentSize: 4096);
        var written = new EntryChain().Take(50, term: 1, bodyLength: 452); // 500 bytes: 8.192 entries per segment
        written.AddRange(new EntryChain(51, written[^1].EndPos).Take(10, term: 2, bodyLength: 452));
        using (var log = store.Open())
        {
            log.Append(written);
            log.Sync();
            var snapshotEntry = written[29]; // index 30, ends at 15000 in segment 3
            log.SaveSnapshot(new Snapshot(30, 1, snapshotEntry.EndPos, StateMachineData));
            int deleted = log.DeleteSegmentsBefore(long.MaxValue);
            Assert.Equal(3, deleted); // [0, 12288) went; entry 31 starts at 15000, in segment 3 which stays
            var firstKept = written.First(e => e.Pos >= 12288);
            Assert.Equal(firstKept.Index, log.FirstIndex);
            Assert.Equal(firstKept.Pos, log.FirstPos);
            Assert.Equal(1, log.TermAt(firstKept.Index - 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => log.TermAt(firstKept.Index - 2));
            Assert.False(log.TryRead(firstKept.Pos - 1, new byte[1]));
            LogAssert.SameEntries(written.Where(e => e.Index >= firstKept.Index).ToList(), LogAssert.All(log));
            Assert.Equal(0, log.DeleteSegmentsBefore(long.MaxValue));
        }
        using var reopened = store.Open();
        Assert.False(reopened.IsCorrupt, reopened.CorruptionReason);
        var first = written.First(e => e.Pos >= 12288);
        Assert.Equal(first.Index, reopened.FirstIndex);
        Assert.Equal(1, reopened.TermAt(first.Index - 1));
        Assert.Equal(60, reopened.LastIndex);
        Assert.Equal(2, reopened.TermAt(60));
    }

    [Fact]
    public void Retention_is_limited_by_the_requested_index_too()
    {
        using var store = new TempStore(segmentSize: 4096);
        var written = new EntryChain().Take(60, term: 1, bodyLength: 452);
        using var log = store.Open();
        log.Append(written);
        log.SaveSnapshot(new Snapshot(55, 1, written[54].EndPos, StateMachineData));
        Assert.Equal(1, log.DeleteSegmentsBefore(10)); // entry 10 starts at 4500, in segment 1
        Assert.Equal(10, log.FirstIndex); // entry 9 starts at 4000 and spans into segment 1: its head is gone
        Assert.Equal(4500, log.FirstPos);
        Assert.Equal(1, log.TermAt(9));
    }

    [Fact]
    public void SaveSnapshot_refuses_a_snapshot_that_does_not_match_the_log()
    {
        using var store = new TempStore();
        var written = new EntryChain().Take(10, term: 2, bodyLength: 10);
        using var log = store.Open();
        log.Append(written);
        Assert.Throws<ArgumentException>(() => log.SaveSnapshot(new Snapshot(5, 3, written[4].EndPos, StateMachineData)));
        Assert.Throws<ArgumentException>(() => log.SaveSnapshot(new Snapshot(5, 2, written[4].EndPos + 1, StateMachineData)));
        Assert.Throws<ArgumentException>(() => log.SaveSnapshot(new Snapshot(11, 2, 0, StateMachineData)));
        log.SaveSnapshot(new Snapshot(5, 2, written[4].EndPos, StateMachineData));
        Assert.Throws<ArgumentException>(() => log.SaveSnapshot(new Snapshot(4, 2, written[3].EndPos, StateMachineData)));
        Assert.Equal(5, log.LatestSnapshot!.Index);
    }

    [Fact]
    public void Open_finishes_retention_that_crashed_after_writing_the_base_record()
    {
        using var store = new TempStore(segmentSize: 4096);
        var written = new EntryChain().Take(60, term: 1, bodyLength: 452);
        using (var log = store.Open())
        {
            log.Append(written);
            log.Sync();
            log.SaveSnapshot(new Snapshot(40, 1, written[39].EndPos, StateMachineData));
        }
        var firstKept = written.First(e => e.Pos >= 8192);
        new BaseRecordFile(store.Path, RealFileSystem.Instance).Save(new BaseRecord(firstKept.Index - 1, 1, firstKept.Pos, ResetPending: false));
        using var reopened = store.Open();
        Assert.False(reopened.IsCorrupt, reopened.CorruptionReason);
        Assert.Equal(firstKept.Index, reopened.FirstIndex);
        Assert.Equal(8192, long.Parse(Path.GetFileName(store.DataFiles()[0])));
        LogAssert.SameEntries(written.Skip((int)firstKept.Index - 1).ToList(), LogAssert.All(reopened));
    }

    private static void AssertEmptyAt(SegmentedLog log, Snapshot snapshot)
    {
        Assert.Equal(snapshot.Index + 1, log.FirstIndex);
        Assert.Equal(snapshot.Index, log.LastIndex);
        Assert.Equal(snapshot.NextPos, log.NextPos);
        Assert.Equal(snapshot.Term, log.TermAt(snapshot.Index));
        Assert.Equal(snapshot.Index, log.LatestSnapshot!.Index);
    }
}
