using System.Buffers.Binary;
using RaftMq.Chaos.Cluster;
using RaftMq.Chaos.Tests.Support;
using RaftMq.Chaos.Wiring;
using RaftMq.Consensus.Log;
using RaftMq.Foundation.Checksums;

namespace RaftMq.Chaos.Tests.Wiring;

public sealed class CheckpointPowerLossTests : IDisposable
{
    private const long SegmentSize = 1000;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private NodeLayout Node() =>
        new("n0", 1, 2, _dir.Path, Path.Combine(_dir.Path, "store"), Path.Combine(_dir.Path, "broker-n0.conf"), new Dictionary<string, int>());

    private string LogStore()
    {
        var store = Path.Combine(_dir.Path, "store", "dledger-n0");
        Directory.CreateDirectory(Path.Combine(store, "data"));
        return store;
    }

    private static void WriteSegment(string store, long start, int length) =>
        File.WriteAllBytes(Path.Combine(store, "data", start.ToString("D20")), Enumerable.Repeat((byte)7, length).ToArray());

    /// <summary>"RMCP" | version 1 | index | endPos | index-synced index | CRC32C, big-endian (docs/design/log-format.md).</summary>
    private static void WriteCheckpoint(string store, long index, long endPos)
    {
        var record = new byte[36];
        BinaryPrimitives.WriteInt32BigEndian(record, 0x524D4350);
        BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(4), 1);
        BinaryPrimitives.WriteInt64BigEndian(record.AsSpan(8), index);
        BinaryPrimitives.WriteInt64BigEndian(record.AsSpan(16), endPos);
        BinaryPrimitives.WriteInt64BigEndian(record.AsSpan(24), index);
        BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(32), Crc32C.Compute(record.AsSpan(0, 32)));
        File.WriteAllBytes(Path.Combine(store, "checkpoint"), record);
    }

    private static long Length(string store, long start) => new FileInfo(Path.Combine(store, "data", start.ToString("D20"))).Length;

    [Fact]
    public async Task Segments_are_cut_at_the_checkpoints_synced_end_position()
    {
        var store = LogStore();
        WriteSegment(store, 0, (int)SegmentSize);
        WriteSegment(store, SegmentSize, 700);
        WriteSegment(store, 2 * SegmentSize, 300);
        WriteCheckpoint(store, index: 40, endPos: SegmentSize + 250);

        await new CheckpointPowerLoss().DropUnsyncedWritesAsync(Node(), CancellationToken.None);

        Assert.Equal(SegmentSize, Length(store, 0));
        Assert.Equal(250, Length(store, SegmentSize));
        Assert.Equal(0, Length(store, 2 * SegmentSize));
    }

    [Fact]
    public async Task A_log_that_never_synced_loses_everything()
    {
        var store = LogStore();
        WriteSegment(store, 0, 600);
        File.WriteAllBytes(Path.Combine(store, "hardstate"), [1, 2, 3]);

        await new CheckpointPowerLoss().DropUnsyncedWritesAsync(Node(), CancellationToken.None);

        Assert.Equal(0, Length(store, 0));
    }

    [Fact]
    public async Task A_damaged_checkpoint_stops_the_simulation_instead_of_guessing()
    {
        var store = LogStore();
        WriteSegment(store, 0, 600);
        WriteCheckpoint(store, 3, 100);
        var bytes = File.ReadAllBytes(Path.Combine(store, "checkpoint"));
        bytes[20] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(store, "checkpoint"), bytes);

        await Assert.ThrowsAsync<InvalidDataException>(() => new CheckpointPowerLoss().DropUnsyncedWritesAsync(Node(), CancellationToken.None));
        Assert.Equal(600, Length(store, 0));
    }

    [Fact]
    public void Only_directories_holding_a_raft_log_are_touched()
    {
        var store = LogStore();
        WriteCheckpoint(store, 1, 10);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "store", "consumequeue", "data"));

        Assert.Equal([store], StoredLogFiles.FindLogStores(Path.Combine(_dir.Path, "store")));
    }
}
