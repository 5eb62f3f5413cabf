using RaftMq.Broker.Store.ConsumeQueue;
using RaftMq.Foundation.Storage;

namespace RaftMq.Broker.Tests.Store;

/// <summary>The ConsumeQueue's buffered tail: readers see every published unit, files get them in few writes.</summary>
public sealed class LogicalQueueTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "raftmq-cq-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData(1000, 300)] // two full tails written, the rest buffered
    [InlineData(50, 300)] // file boundaries cut the tail short
    [InlineData(1000, 5)] // everything still buffered
    public void Every_appended_unit_is_readable_at_once_and_in_the_files_after_a_flush(int unitsPerFile, int count)
    {
        using var queue = new LogicalQueue(RealFileSystem.Instance, "t", 0, _root, unitsPerFile, floorOffset: 0, nextOffset: 0);
        for (int i = 0; i < count; i++) queue.Append(i, Unit(i));

        AssertReads(queue, count);
        queue.Flush();
        using var reopened = new LogicalQueue(RealFileSystem.Instance, "t", 0, _root, unitsPerFile, floorOffset: 0, nextOffset: count);
        Assert.Null(reopened.Verify());
        AssertReads(reopened, count);
    }

    [Fact]
    public void Reapplying_from_an_earlier_offset_rewrites_the_same_places()
    {
        using var queue = new LogicalQueue(RealFileSystem.Instance, "t", 0, _root, 100, floorOffset: 0, nextOffset: 0);
        for (int i = 0; i < 40; i++) queue.Append(i, Unit(i));
        for (int i = 10; i < 60; i++) queue.Append(i, Unit(i)); // a replay after restart overlaps what is there
        queue.Flush();

        using var reopened = new LogicalQueue(RealFileSystem.Instance, "t", 0, _root, 100, floorOffset: 0, nextOffset: 60);
        AssertReads(reopened, 60);
    }

    private static void AssertReads(LogicalQueue queue, int count)
    {
        var all = new ConsumeQueueUnit[count];
        Assert.Equal(count, queue.Read(0, all));
        for (int i = 0; i < count; i++) Assert.Equal(Unit(i), all[i]);
        var window = new ConsumeQueueUnit[7];
        for (int from = 0; from < count; from += 3)
        {
            int read = queue.Read(from, window);
            Assert.Equal(Math.Min(7, count - from), read);
            for (int i = 0; i < read; i++) Assert.Equal(Unit(from + i), window[i]);
        }
    }

    private static ConsumeQueueUnit Unit(int i) => new(1000 + (i * 100L), 90 + (i % 7), i * 31L);
}
