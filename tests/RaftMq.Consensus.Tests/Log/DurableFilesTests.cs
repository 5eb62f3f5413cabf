using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Tests.Log;

public class DurableFilesTests
{
    [Fact]
    public void Hard_state_round_trips_with_and_without_a_vote()
    {
        using var store = new TempStore();
        var file = new HardStateFile(store.Path);
        Assert.Equal(HardState.Empty, file.Load());
        file.Save(new HardState(5, "n1", 17));
        Assert.Equal(new HardState(5, "n1", 17), new HardStateFile(store.Path).Load());
        file.Save(new HardState(6, null, 20));
        Assert.Equal(new HardState(6, null, 20), file.Load());
        file.Save(new HardState(7, "nœud-ü", 21));
        Assert.Equal(new HardState(7, "nœud-ü", 21), file.Load());
        Assert.False(File.Exists(file.FilePath + ".tmp"));
    }

    [Fact]
    public void Corrupt_hard_state_is_refused_instead_of_resetting_the_term()
    {
        using var store = new TempStore();
        var file = new HardStateFile(store.Path);
        file.Save(new HardState(9, "n2", 3));
        for (int offset = 0; offset < new FileInfo(file.FilePath).Length; offset++)
        {
            TempStore.FlipFileBit(file.FilePath, offset, bit: 3);
            var error = Assert.Throws<InvalidDataException>(() => file.Load());
            Assert.Contains(file.FilePath, error.Message);
            TempStore.FlipFileBit(file.FilePath, offset, bit: 3);
        }
        File.WriteAllBytes(file.FilePath, new byte[5]);
        Assert.Throws<InvalidDataException>(() => file.Load());
    }

    [Fact]
    public void A_leftover_temp_file_from_an_interrupted_save_is_ignored()
    {
        using var store = new TempStore();
        var file = new HardStateFile(store.Path);
        file.Save(new HardState(3, "n0", 1));
        File.WriteAllBytes(file.FilePath + ".tmp", [1, 2, 3]);
        Assert.Equal(new HardState(3, "n0", 1), file.Load());
        file.Save(new HardState(4, "n0", 1));
        Assert.Equal(new HardState(4, "n0", 1), file.Load());
    }

    [Fact]
    public void Snapshot_round_trips_and_a_damaged_one_is_refused()
    {
        using var store = new TempStore();
        var snapshots = new SnapshotStore(store.Path);
        Assert.Null(snapshots.Load());
        snapshots.Save(new Snapshot(100, 4, 65_536, new byte[] { 1, 2, 3, 4 }));
        var loaded = snapshots.Load()!;
        Assert.Equal((100L, 4L, 65_536L), (loaded.Index, loaded.Term, loaded.NextPos));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, loaded.Data.ToArray());
        TempStore.FlipFileBit(snapshots.FilePath, 30);
        Assert.Throws<InvalidDataException>(() => snapshots.Load());
    }

    [Fact]
    public void Corrupt_snapshot_file_makes_the_log_corrupt()
    {
        using var store = new TempStore();
        using (var log = store.Open())
        {
            log.Append(new EntryChain().Take(5, term: 1, bodyLength: 10));
            log.Sync();
            log.SaveSnapshot(new Snapshot(3, 1, 3 * 58, new byte[] { 1 }));
        }
        TempStore.FlipFileBit(Path.Combine(store.Path, SnapshotStore.FileName), 12);
        using (var log = store.Open())
        {
            Assert.True(log.IsCorrupt);
            Assert.Contains(SnapshotStore.FileName, log.CorruptionReason);
            Assert.Throws<InvalidOperationException>(() => log.Append(EntryChain.After(log).Take(1, term: 1, bodyLength: 1)));
        }
    }
}
