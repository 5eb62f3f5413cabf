using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Tests.Log;

/// <summary>The public reader tools outside the node (the chaos harness) use instead of the private file formats.</summary>
public sealed class StoredLogFilesTests
{
    [Fact]
    public void A_synced_log_is_found_with_its_synced_end_and_its_data_segments()
    {
        using var store = new TempStore(segmentSize: 1024);
        var entries = new EntryChain().Take(30, term: 1, bodyLength: 100);
        using (var log = store.Open())
        {
            log.Append(entries);
            log.Sync();
        }

        Assert.Equal([store.Path], StoredLogFiles.FindLogStores(store.Path));
        Assert.Equal(entries[^1].EndPos, StoredLogFiles.ReadSyncedEndPos(store.Path));
        var segments = StoredLogFiles.DataSegments(store.Path);
        Assert.Equal(store.DataFiles(), segments.Select(segment => segment.Path).ToArray());
        Assert.Equal(segments.Select((_, i) => i * 1024L), segments.Select(segment => segment.StartPos));
    }

    [Fact]
    public void A_store_without_a_checkpoint_has_no_synced_end_and_a_damaged_checkpoint_is_refused()
    {
        using var store = new TempStore();
        Directory.CreateDirectory(store.Path);
        Assert.Null(StoredLogFiles.ReadSyncedEndPos(store.Path));

        File.WriteAllBytes(Path.Combine(store.Path, "checkpoint"), new byte[36]);

        Assert.Throws<InvalidDataException>(() => StoredLogFiles.ReadSyncedEndPos(store.Path));
    }
}
