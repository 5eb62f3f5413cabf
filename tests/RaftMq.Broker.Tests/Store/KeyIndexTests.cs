using RaftMq.Broker.Store.Index;
using RaftMq.Broker.Tests.Store.Fakes;
using RaftMq.Foundation.Storage;

namespace RaftMq.Broker.Tests.Store;

public sealed class KeyIndexTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "raftmq-keyindex-" + Guid.NewGuid().ToString("N"));
    private readonly ListLogger _logger = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_million_distinct_keys_keep_one_file_mapped_and_one_managed_record_per_file()
    {
        const int Keys = 1_000_000;
        using var distinct = new KeyIndex(RealFileSystem.Instance, Path.Combine(_directory, "distinct"), slotCount: 10_000, entryCapacity: 100_000, _logger);
        using var repeated = new KeyIndex(RealFileSystem.Instance, Path.Combine(_directory, "repeated"), slotCount: 10_000, entryCapacity: 100_000, _logger);
        int topicSeed = KeyIndex.TopicSeed("t");
        int repeatedHash = KeyIndex.Hash("t", "same");
        for (int i = 0; i < Keys; i++)
        {
            distinct.Add(global::RaftMq.Protocol.Messages.JavaStringHash.Compute($"key-{i}", topicSeed), physicalOffset: 100L * i, storeTimestamp: 1_000_000 + i);
            repeated.Add(repeatedHash, physicalOffset: 100L * i, storeTimestamp: 1_000_000 + i);
        }

        Assert.Equal(Keys, distinct.EntryCount);
        Assert.Equal(1, distinct.MappedFileCount);
        Assert.Equal(10, distinct.FileCount);
        // What stays on the managed heap depends on the number of files, not on the number of distinct keys.
        Assert.Equal(repeated.ManagedRecordCount, distinct.ManagedRecordCount);
        Assert.Equal(distinct.FileCount, distinct.ManagedRecordCount);
        // The oldest key is still found, in the first (sealed) file.
        Assert.Equal([0L], distinct.Candidates("t", "key-0", 0, long.MaxValue, 10));
        Assert.Equal([100L * (Keys - 1)], distinct.Candidates("t", $"key-{Keys - 1}", 0, long.MaxValue, 10));
    }

    [Fact]
    public void Candidates_come_newest_first_within_the_time_range_and_up_to_the_count()
    {
        using var index = new KeyIndex(RealFileSystem.Instance, _directory, slotCount: 4, entryCapacity: 5, _logger);
        int hash = KeyIndex.Hash("t", "k");
        for (int i = 0; i < 12; i++) index.Add(i % 3 == 0 ? hash : KeyIndex.Hash("t", $"other-{i}"), physicalOffset: i, storeTimestamp: 10_000L * (i + 1));

        Assert.Equal([9L, 6L, 3L, 0L], index.Candidates("t", "k", 0, long.MaxValue, 10));
        Assert.Equal([9L, 6L], index.Candidates("t", "k", 0, long.MaxValue, 2));
        Assert.Equal([6L, 3L], index.Candidates("t", "k", 40_000, 70_000, 10));
        Assert.Equal(3, index.FileCount);
    }

    [Fact]
    public void A_file_with_a_gap_in_the_covered_log_range_is_not_trusted()
    {
        using (var index = new KeyIndex(RealFileSystem.Instance, _directory, slotCount: 4, entryCapacity: 2, _logger))
        {
            for (int i = 0; i < 5; i++)
            {
                index.Add(KeyIndex.Hash("t", $"k{i}"), physicalOffset: 100 * i, storeTimestamp: 1000);
                index.MarkCovered(100 * (i + 1));
            }
        }
        string second = Directory.GetFiles(_directory, "*.idx").Order(StringComparer.Ordinal).ElementAt(1);
        File.Delete(second); // the third file now starts where no file ends

        using var reopened = new KeyIndex(RealFileSystem.Instance, _directory, slotCount: 4, entryCapacity: 2, _logger);

        Assert.Equal(1, _logger.Count(2109));
        Assert.Equal(200, reopened.CoveredTo); // the store indexes the log again from here
        Assert.Equal([0L], reopened.Candidates("t", "k0", 0, long.MaxValue, 10));
        Assert.Empty(reopened.Candidates("t", "k4", 0, long.MaxValue, 10));
    }
}
