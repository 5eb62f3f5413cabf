namespace RaftMq.Consensus.Tests.Simulation.Storage;

/// <summary>The simulated memory mapping loses exactly what a power loss can lose: pages changed since the last msync,
/// each one whole or not at all; what was flushed survives.</summary>
public sealed class SimMappedFileTests
{
    private const int Page = 4096;

    [Fact]
    public void A_crash_keeps_flushed_pages_and_each_unflushed_page_whole_or_not_at_all()
    {
        int keptPages = 0, lostPages = 0;
        for (int seed = 0; seed < 40; seed++)
        {
            var disk = NewDisk(seed, out string path);
            var mapping = disk.Map(path, writable: true);
            mapping.GetSpan(0, Page).Fill(1);
            mapping.Flush();
            mapping.GetSpan(Page, Page).Fill(2);
            mapping.GetSpan(2 * Page, Page).Fill(3);

            disk.Crash(roundInFlight: false);

            var image = disk.ReadAllOrNull(path)!;
            Assert.Equal(3 * Page, image.Length);
            Assert.All(image.AsSpan(0, Page).ToArray(), b => Assert.Equal(1, b));
            foreach (var (page, value) in new[] { (1, (byte)2), (2, (byte)3) })
            {
                var bytes = image.AsSpan(page * Page, Page).ToArray();
                bool kept = bytes.All(b => b == value);
                Assert.True(kept || bytes.All(b => b == 0), $"seed {seed}: page {page} is partly written");
                if (kept) keptPages++;
                else lostPages++;
            }
            mapping.Dispose(); // after the crash: writes nothing
            Assert.Equal(image, disk.ReadAllOrNull(path));
        }
        Assert.True(keptPages > 0 && lostPages > 0, $"kept {keptPages}, lost {lostPages}: both outcomes must occur");
    }

    [Fact]
    public void Positional_reads_see_a_mappings_changes_once_it_is_flushed_or_unmapped()
    {
        var disk = NewDisk(1, out string path);
        var mapping = disk.Map(path, writable: true);
        mapping.GetSpan(10, 3).Fill(7);
        Assert.Equal(0, disk.ReadAllOrNull(path)![10]);

        mapping.Dispose();

        Assert.Equal([7, 7, 7], disk.ReadAllOrNull(path)![10..13]);
        var durable = new byte[3];
        Assert.Equal(3, disk.ReadDurable(path, 10, durable));
        Assert.Equal(new byte[3], durable); // unmapped, not yet fsynced
        disk.Crash(roundInFlight: false);
        byte[] afterCrash = disk.ReadAllOrNull(path)![10..13];
        Assert.True(afterCrash.SequenceEqual(new byte[] { 7, 7, 7 }) || afterCrash.SequenceEqual(new byte[3]));
    }

    private static SimFileSystem NewDisk(int seed, out string path)
    {
        var disk = new SimFileSystem(new Random(seed), () => DateTime.UnixEpoch);
        disk.CreateDirectory("/sim/n0/broker/index");
        path = "/sim/n0/broker/index/00000000000000000000.idx";
        using (var file = disk.Open(path)) file.SetLength(3 * Page);
        using (var file = disk.Open(path)) file.Flush();
        disk.CompleteRound();
        return disk;
    }
}
