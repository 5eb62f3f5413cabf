using Microsoft.Extensions.Logging;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Foundation.Storage;

namespace RaftMq.Consensus.Tests.Log;

public class RecoveryTests
{
    /// <summary>Writes 30 synced entries of 500 bytes (4096-byte segments) and returns them.</summary>
    private static List<LogEntry> WriteSynced(TempStore store, int count = 30, int bodyLength = 452)
    {
        var written = new EntryChain().Take(count, term: 1, bodyLength: bodyLength);
        using var log = store.Open();
        log.Append(written);
        log.Sync();
        return written;
    }

    [Fact]
    public void Torn_tail_is_truncated_when_the_unsynced_last_entry_is_cut_in_half()
    {
        using var store = new TempStore();
        var written = WriteSynced(store);
        var unsynced = new EntryChain(31, written[^1].EndPos, seed: 3).Take(1, term: 2, bodyLength: 452)[0];
        using (var log = store.Open()) log.Append([unsynced]);
        var (file, offset) = store.Locate(unsynced.Pos + (unsynced.Size / 2));
        using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(offset);

        using var reopened = store.Open();
        Assert.False(reopened.IsCorrupt, reopened.CorruptionReason);
        Assert.Equal(30, reopened.LastIndex);
        Assert.Equal(written[^1].EndPos, reopened.NextPos);
        LogAssert.SameEntries(written, LogAssert.All(reopened));
        Assert.Contains(store.Logger.Lines, line => line.EventId == 1301 && line.Level == LogLevel.Warning);
        // The repair is durable and appends continue at the torn entry's pos.
        reopened.Append([unsynced]);
        reopened.Sync();
        Assert.Equal(31, reopened.LastIndex);
    }

    [Fact]
    public void Cutting_into_synced_entries_is_corruption_and_nothing_is_truncated()
    {
        using var store = new TempStore();
        var written = WriteSynced(store);
        var (file, offset) = store.Locate(written[^1].Pos + 10);
        using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(offset);
        long lengthBefore = new FileInfo(file).Length;

        using var log = store.Open();
        Assert.True(log.IsCorrupt);
        Assert.Contains(file, log.CorruptionReason);
        Assert.Contains("synced", log.CorruptionReason);
        Assert.Equal(lengthBefore, new FileInfo(file).Length);
        Assert.Contains(store.Logger.Lines, line => line.EventId == 1303 && line.Level == LogLevel.Critical);
    }

    [Fact]
    public void Bit_flip_in_a_middle_entry_marks_the_log_corrupt_naming_the_file()
    {
        using var store = new TempStore();
        var written = WriteSynced(store);
        var victim = written[12];
        store.FlipBit(victim.Pos + 60, bit: 5);
        var (file, offset) = store.Locate(victim.Pos);
        var bytesBefore = store.DataFiles().Select(File.ReadAllBytes).ToList();

        using var log = store.Open();
        Assert.True(log.IsCorrupt);
        Assert.Contains(file, log.CorruptionReason);
        Assert.Contains($"offset {offset}", log.CorruptionReason);
        Assert.Contains(nameof(EntryCheck.BodyCrc), log.CorruptionReason);
        Assert.Equal(12, log.LastIndex); // the verified prefix stays readable
        Assert.Throws<InvalidOperationException>(() => log.Append(EntryChain.After(log).Take(1, term: 1, bodyLength: 1)));
        Assert.Throws<InvalidOperationException>(() => log.TruncateSuffix(5));
        Assert.Equal(bytesBefore, store.DataFiles().Select(File.ReadAllBytes).ToList());
    }

    [Fact]
    public void Damage_followed_by_a_valid_entry_is_corruption_even_without_a_checkpoint()
    {
        using var store = new TempStore();
        var written = WriteSynced(store);
        File.Delete(Path.Combine(store.Path, "checkpoint"));
        store.FlipBit(written[20].Pos + 3);
        Directory.Delete(store.IndexDir, recursive: true); // the scan alone must find the following entries

        using var log = store.Open();
        Assert.True(log.IsCorrupt);
        Assert.Contains("a valid entry follows", log.CorruptionReason);
        Assert.Contains(nameof(EntryCheck.BadMagic), log.CorruptionReason);
    }

    [Fact]
    public void Deleted_index_is_rebuilt_from_the_data()
    {
        using var store = new TempStore(indexUnitsPerFile: 8);
        var written = WriteSynced(store);
        Directory.Delete(store.IndexDir, recursive: true);

        using (var log = store.Open())
        {
            Assert.False(log.IsCorrupt, log.CorruptionReason);
            Assert.Equal(30, log.LastIndex);
            Assert.Contains(store.Logger.Lines, line => line.EventId == 1302);
        }
        Assert.Equal(4, store.IndexFiles().Length);
        // The rebuilt units serve reads that are not cached in memory.
        var small = store.Options with { CachedRecentEntries = 1 };
        using var reopened = SegmentedLog.Open(small, store.Logger);
        LogAssert.SameEntries(written, LogAssert.All(reopened));
    }

    [Fact]
    public void Damaged_or_stale_index_units_are_rewritten_from_the_data()
    {
        using var store = new TempStore(indexUnitsPerFile: 8);
        var written = WriteSynced(store);
        TempStore.FlipFileBit(Path.Combine(store.IndexDir, "00000000000000000008"), 5 * IndexUnit.Size + 2);
        File.AppendAllText(store.IndexFiles()[^1], new string('x', IndexUnit.Size)); // a stale unit 31

        using (var log = store.Open()) Assert.False(log.IsCorrupt, log.CorruptionReason);
        using var reopened = SegmentedLog.Open(store.Options with { CachedRecentEntries = 1 }, store.Logger);
        Assert.Equal(1, reopened.TermAt(13));
        LogAssert.SameEntries(written, LogAssert.All(reopened));
        Assert.Equal(31L * IndexUnit.Size, store.IndexFiles().Sum(f => new FileInfo(f).Length));
    }

    [Fact]
    public void Index_files_of_another_size_are_discarded_and_rebuilt()
    {
        using var store = new TempStore(indexUnitsPerFile: 8);
        var written = WriteSynced(store);
        using var log = SegmentedLog.Open(store.Options with { IndexUnitsPerFile = 4, CachedRecentEntries = 1 }, store.Logger);
        Assert.False(log.IsCorrupt, log.CorruptionReason);
        Assert.Contains(store.Logger.Lines, line => line.EventId == 1310);
        LogAssert.SameEntries(written, LogAssert.All(log));
        Assert.Equal(8, store.IndexFiles().Length);
    }

    [Fact]
    public void Data_segments_of_another_size_are_corruption_not_rewritten()
    {
        using var store = new TempStore(segmentSize: 4096);
        WriteSynced(store);
        using var log = SegmentedLog.Open(store.Options with { SegmentSizeBytes = 2048 }, store.Logger);
        Assert.True(log.IsCorrupt);
        Assert.Contains("segment size", log.CorruptionReason);
    }

    [Fact]
    public void Index_units_after_the_index_synced_point_are_verified_and_rebuilt()
    {
        // The index is fsynced less often than the data; after a power loss its recent units may be lost even
        // though the data was synced, and the checkpoint on disk may be older still.
        using var store = new TempStore(verifyBytes: 2048, indexUnitsPerFile: 8);
        string checkpoint = Path.Combine(store.Path, "checkpoint");
        var written = new EntryChain().Take(30, term: 1, bodyLength: 452);
        byte[] olderCheckpoint;
        using (var log = store.Open())
        {
            log.Append(written.Take(10).ToList());
            log.Sync();
            olderCheckpoint = File.ReadAllBytes(checkpoint);
            log.Append(written.Skip(10).ToList());
            log.Sync();
        }
        File.WriteAllBytes(checkpoint, olderCheckpoint);
        foreach (string file in store.IndexFiles().Where(f => long.Parse(Path.GetFileName(f)) >= 8))
        {
            long firstIndex = long.Parse(Path.GetFileName(file));
            using var stream = new FileStream(file, FileMode.Open);
            stream.SetLength(Math.Max(11 - firstIndex, 0) * IndexUnit.Size); // units 11..30 lost
        }

        using (var log = store.Open())
        {
            Assert.False(log.IsCorrupt, log.CorruptionReason);
            Assert.Contains(store.Logger.Lines, line => line.EventId == 1300 && line.Message.Contains("verified from index 11"));
        }
        using var reopened = SegmentedLog.Open(store.Options with { CachedRecentEntries = 1 }, store.Logger);
        LogAssert.SameEntries(written, LogAssert.All(reopened));
    }

    [Fact]
    public void Missing_middle_segment_is_corruption()
    {
        using var store = new TempStore();
        WriteSynced(store);
        File.Delete(store.DataFiles()[1]);
        using var log = store.Open();
        Assert.True(log.IsCorrupt);
        Assert.Contains("00000000000000004096", log.CorruptionReason);
    }

    [Fact]
    public void Corrupt_base_record_is_corruption()
    {
        using var store = new TempStore();
        WriteSynced(store);
        new BaseRecordFile(store.Path, RealFileSystem.Instance).Save(new BaseRecord(0, 0, 0, false));
        TempStore.FlipFileBit(Path.Combine(store.Path, BaseRecordFile.FileName), 9);
        using var log = store.Open();
        Assert.True(log.IsCorrupt);
        Assert.Contains(BaseRecordFile.FileName, log.CorruptionReason);
    }

    [Fact]
    public void Damage_below_the_verified_tail_is_caught_when_read()
    {
        using var store = new TempStore(verifyBytes: 4096, indexUnitsPerFile: 8);
        var written = WriteSynced(store);
        store.FlipBit(written[2].Pos + 100);
        using var log = store.Open();
        Assert.False(log.IsCorrupt, log.CorruptionReason); // Open verified only the last ~4 KiB
        Assert.Equal(30, log.LastIndex);
        Assert.Single(log.Entries(20, 20, 1));
        var error = Assert.Throws<LogCorruptedException>(() => log.Entries(1, 5, long.MaxValue));
        Assert.Contains(nameof(EntryCheck.BodyCrc), error.Message);
        Assert.True(log.IsCorrupt);
        Assert.Throws<InvalidOperationException>(() => log.Append(EntryChain.After(log).Take(1, term: 1, bodyLength: 1)));
    }

    [Fact]
    public void Partial_verification_on_open_recovers_the_same_log()
    {
        using var store = new TempStore(verifyBytes: 5000, indexUnitsPerFile: 8, cachedEntries: 4);
        var written = WriteSynced(store, count: 80);
        using var log = store.Open();
        Assert.False(log.IsCorrupt, log.CorruptionReason);
        Assert.Equal(80, log.LastIndex);
        Assert.Contains(store.Logger.Lines, line => line.EventId == 1300 && !line.Message.Contains("verified from index 1,"));
        LogAssert.SameEntries(written, LogAssert.All(log));
    }
}
