using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Tests.Log;

public class SegmentedLogTests
{
    [Fact]
    public void New_log_is_empty_at_index_zero_and_pos_zero()
    {
        using var store = new TempStore();
        using var log = store.Open();
        Assert.Equal(1, log.FirstIndex);
        Assert.Equal(0, log.LastIndex);
        Assert.Equal(0, log.NextPos);
        Assert.Equal(0, log.TermAt(0));
        Assert.False(log.IsCorrupt);
        Assert.Null(log.LatestSnapshot);
    }

    [Fact]
    public void Appended_entries_are_read_back_after_reopen()
    {
        using var store = new TempStore();
        var chain = new EntryChain();
        var written = chain.Take(20, term: 1, bodyLength: 100).Concat(chain.Take(5, term: 2, bodyLength: 7)).ToList();
        using (var log = store.Open())
        {
            log.Append(written);
            log.Sync();
            LogAssert.SameEntries(written, LogAssert.All(log));
        }
        using var reopened = store.Open();
        Assert.False(reopened.IsCorrupt, reopened.CorruptionReason);
        Assert.Equal(25, reopened.LastIndex);
        Assert.Equal(written[^1].EndPos, reopened.NextPos);
        Assert.Equal(2, reopened.TermAt(25));
        Assert.Equal(1, reopened.TermAt(20));
        LogAssert.SameEntries(written, LogAssert.All(reopened));
    }

    [Fact]
    public void Entries_crossing_segment_boundaries_keep_pos_equal_to_previous_end_pos()
    {
        using var store = new TempStore(segmentSize: 4096);
        var written = new EntryChain().Take(30, term: 1, bodyLength: 1500);
        using (var log = store.Open())
        {
            log.Append(written);
            log.Sync();
        }
        // The data files are a pure byte concatenation: their bytes read in order are the entries back to back.
        var concatenated = store.DataFiles().SelectMany(File.ReadAllBytes).ToArray();
        Assert.Equal(written[^1].EndPos, concatenated.Length);
        Assert.True(store.DataFiles().Length > 10);
        foreach (var entry in written)
        {
            var check = EntryCodec.TryDecode(concatenated.AsSpan((int)entry.Pos), entry.Pos, entry.Index, out var decoded);
            Assert.Equal(EntryCheck.Ok, check);
            LogAssert.SameEntry(entry, decoded!);
        }
        using var reopened = store.Open();
        LogAssert.SameEntries(written, LogAssert.All(reopened));
    }

    [Fact]
    public void Segment_files_are_named_by_their_20_digit_start_position()
    {
        using var store = new TempStore(segmentSize: 4096, indexUnitsPerFile: 64);
        using var log = store.Open();
        log.Append(new EntryChain().Take(100, term: 1, bodyLength: 100));
        Assert.Equal(new[] { "00000000000000000000", "00000000000000004096", "00000000000000008192", "00000000000000012288" },
            store.DataFiles().Select(f => Path.GetFileName(f)).ToArray());
        Assert.Equal(new[] { "00000000000000000000", "00000000000000000064" }, store.IndexFiles().Select(f => Path.GetFileName(f)).ToArray());
    }

    [Fact]
    public void TryRead_copies_bytes_across_segments_and_refuses_ranges_outside_the_log()
    {
        using var store = new TempStore(segmentSize: 4096);
        using var log = store.Open();
        var written = new EntryChain().Take(10, term: 1, bodyLength: 1000);
        log.Append(written);
        var entry = written[3]; // spans the boundary at 4096
        Assert.True(entry.Pos < 4096 && entry.EndPos > 4096);
        var bytes = new byte[entry.Size];
        Assert.True(log.TryRead(entry.Pos, bytes));
        Assert.Equal(EntryCheck.Ok, EntryCodec.TryDecode(bytes, entry.Pos, entry.Index, out var decoded));
        LogAssert.SameEntry(entry, decoded!);
        Assert.False(log.TryRead(log.NextPos - 10, new byte[11]));
        Assert.False(log.TryRead(-1, new byte[1]));
        Assert.True(log.TryRead(log.NextPos - 10, new byte[10]));
    }

    [Fact]
    public void Entries_stops_at_max_bytes_but_returns_at_least_one_entry()
    {
        using var store = new TempStore();
        using var log = store.Open();
        log.Append(new EntryChain().Take(10, term: 1, bodyLength: 52)); // 100 bytes each
        Assert.Equal(3, log.Entries(1, 10, 350).Count);
        Assert.Equal(3, log.Entries(1, 10, 300).Count);
        Assert.Single(log.Entries(4, 10, 1));
        Assert.Equal(7, log.Entries(4, 10, long.MaxValue).Count);
        Assert.Empty(log.Entries(5, 4, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Entries(5, 11, 100));
    }

    [Fact]
    public void Old_entries_are_read_through_the_index_when_not_cached()
    {
        using var store = new TempStore(cachedEntries: 4);
        using var log = store.Open();
        var written = new EntryChain().Take(200, term: 1, bodyLength: 30);
        written.AddRange(new EntryChain(201, written[^1].EndPos).Take(10, term: 3, bodyLength: 30));
        log.Append(written);
        Assert.Equal(1, log.TermAt(1));
        Assert.Equal(3, log.TermAt(205));
        LogAssert.SameEntries(written, LogAssert.All(log));
    }

    [Fact]
    public void Append_with_a_wrong_pos_gap_or_lower_term_is_refused_and_changes_nothing()
    {
        using var store = new TempStore();
        using var log = store.Open();
        var chain = new EntryChain();
        log.Append(chain.Take(3, term: 2, bodyLength: 10));
        long nextPos = log.NextPos;
        var wrongPos = new LogEntry(4, 2, nextPos + 1, EntryType.Normal, new byte[3]);
        var gap = new LogEntry(5, 2, nextPos, EntryType.Normal, new byte[3]);
        var lowerTerm = new LogEntry(4, 1, nextPos, EntryType.Normal, new byte[3]);
        var good = new LogEntry(4, 2, nextPos, EntryType.Normal, new byte[3]);
        var badSecond = new LogEntry(5, 2, good.EndPos + 8, EntryType.Normal, new byte[3]);
        LogEntry[][] batches = [[wrongPos], [gap], [lowerTerm], [good, badSecond]];
        foreach (var batch in batches)
        {
            var error = Assert.Throws<InvalidOperationException>(() => log.Append(batch));
            Assert.StartsWith("log invariant violated", error.Message);
            Assert.Equal(3, log.LastIndex);
            Assert.Equal(nextPos, log.NextPos);
        }
    }

    [Fact]
    public void Appending_at_an_existing_index_replaces_the_conflicting_suffix()
    {
        using var store = new TempStore();
        var chain = new EntryChain();
        var common = chain.Take(10, term: 1, bodyLength: 300);
        using (var log = store.Open())
        {
            log.Append(common);
            log.Append(chain.Take(10, term: 2, bodyLength: 300));
            log.Sync();
            var replacement = new EntryChain(11, common[^1].EndPos, seed: 9).Take(3, term: 3, bodyLength: 40);
            log.Append(replacement);
            log.Sync();
            Assert.Equal(13, log.LastIndex);
            Assert.Equal(replacement[^1].EndPos, log.NextPos);
            LogAssert.SameEntries(common.Concat(replacement).ToList(), LogAssert.All(log));
        }
        using var reopened = store.Open();
        Assert.False(reopened.IsCorrupt, reopened.CorruptionReason);
        Assert.Equal(13, reopened.LastIndex);
        Assert.Equal(3, reopened.TermAt(13));
    }

    [Fact]
    public void Appending_entries_the_log_already_holds_keeps_the_entries_after_them()
    {
        using var store = new TempStore();
        using var log = store.Open();
        var written = new EntryChain().Take(10, term: 1, bodyLength: 30);
        log.Append(written);
        log.Sync();
        log.Append(written.Skip(3).Take(4).ToList()); // a delayed duplicate of entries 4..7
        Assert.Equal(10, log.LastIndex);
        Assert.Equal(10, log.DurableIndex);
        var tail = new EntryChain(11, written[^1].EndPos, seed: 4).Take(2, term: 2, bodyLength: 30);
        log.Append(written.Skip(8).Concat(tail).ToList()); // overlaps 9..10, then new entries
        LogAssert.SameEntries(written.Concat(tail).ToList(), LogAssert.All(log));
    }

    [Fact]
    public void Truncated_suffix_stays_truncated_after_reopen_and_appends_continue_at_its_pos()
    {
        using var store = new TempStore();
        var written = new EntryChain().Take(40, term: 1, bodyLength: 200);
        using (var log = store.Open())
        {
            log.Append(written);
            log.Sync();
            Assert.Equal(40, log.DurableIndex);
            log.TruncateSuffix(15);
            Assert.Equal(14, log.LastIndex);
            Assert.Equal(14, log.DurableIndex);
            Assert.Equal(written[14].Pos, log.NextPos);
            Assert.Throws<ArgumentOutOfRangeException>(() => log.TermAt(15));
        }
        using (var log = store.Open())
        {
            Assert.False(log.IsCorrupt, log.CorruptionReason);
            Assert.Equal(14, log.LastIndex);
            var more = EntryChain.After(log, seed: 5).Take(3, term: 2, bodyLength: 10);
            log.Append(more);
            log.Sync();
            LogAssert.SameEntries(written.Take(14).Concat(more).ToList(), LogAssert.All(log));
        }
    }

    [Fact]
    public void Sync_advances_the_durable_index_to_the_last_appended_entry()
    {
        using var store = new TempStore();
        using var log = store.Open();
        var chain = new EntryChain();
        log.Append(chain.Take(5, term: 1, bodyLength: 10));
        Assert.Equal(0, log.DurableIndex);
        log.Sync();
        Assert.Equal(5, log.DurableIndex);
        log.Append(chain.Take(5, term: 1, bodyLength: 10));
        Assert.Equal(5, log.DurableIndex);
        log.Sync();
        Assert.Equal(10, log.DurableIndex);
    }

    [Fact]
    public void TermAt_refuses_indexes_the_log_cannot_answer()
    {
        using var store = new TempStore();
        using var log = store.Open();
        log.Append(new EntryChain().Take(3, term: 4, bodyLength: 1));
        Assert.Equal(4, log.TermAt(3));
        Assert.Equal(0, log.TermAt(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.TermAt(4));
    }

    [Fact]
    public void Invalid_options_are_refused_naming_the_key_and_value()
    {
        var error = Assert.Throws<ArgumentException>(() => SegmentedLog.Open(
            new LogStoreOptions { StorePath = Path.GetTempPath(), SegmentSizeBytes = 10 }, new RecordingLogger()));
        Assert.Contains("SegmentSizeBytes", error.Message);
        Assert.Contains("'10'", error.Message);
    }
}
