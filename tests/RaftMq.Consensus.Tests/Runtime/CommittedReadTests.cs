using System.Collections.Concurrent;
using System.Text;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;
using RaftMq.Consensus.Tests.Transport;

namespace RaftMq.Consensus.Tests.Runtime;

public sealed class CommittedReadTests
{
    [Fact]
    public async Task Concurrent_reads_see_exact_committed_bytes_or_false_while_appends_and_retention_run()
    {
        await using var group = new NodeGroup(size: 1);
        await group.StartAll();
        var node = await group.WaitForLeader();
        var committed = new ConcurrentDictionary<long, string>();
        long maxCommittedEnd = 0;
        using var stop = new CancellationTokenSource();
        int wrongBytes = 0, served = 0;

        var readers = Enumerable.Range(0, 2).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                var positions = committed.Keys.ToArray();
                if (positions.Length == 0) continue;
                long pos = positions[random.Next(positions.Length)];
                byte[] expected = Encoding.UTF8.GetBytes(committed[pos]);
                var buffer = new byte[expected.Length];
                if (node.TryReadCommitted(pos + EntryLayout.HeaderSize, buffer))
                {
                    Interlocked.Increment(ref served);
                    if (!buffer.AsSpan().SequenceEqual(expected)) Interlocked.Increment(ref wrongBytes);
                }
                // Nothing past the committed end is ever served.
                if (node.TryReadCommitted(Volatile.Read(ref maxCommittedEnd) + (1 << 20), new byte[1])) Interlocked.Increment(ref wrongBytes);
            }
        })).ToArray();

        int retentionRuns = 0;
        for (int i = 0; i < 300; i++)
        {
            string payload = $"entry-{i}-" + new string((char)('a' + (i % 26)), 100 + (i % 50));
            var outcome = await node.AppendAsync([Encoding.UTF8.GetBytes(payload)], TimeSpan.FromSeconds(20));
            Assert.Equal(AppendStatus.Committed, outcome.Status);
            committed[outcome.Pos] = payload;
            Volatile.Write(ref maxCommittedEnd, node.CommittedEndPos);
            if (i % 60 == 59)
            {
                await node.RunRetentionAsync(DateTimeOffset.UtcNow.AddHours(1));
                retentionRuns++;
            }
        }
        await Eventually.WaitUntil(() => Volatile.Read(ref served) > 100, "readers served committed bytes");
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Equal(0, wrongBytes);
        Assert.Equal(5, retentionRuns);
        Assert.True(node.FirstRetainedPos > 0, "retention deleted segments while readers ran");
        var (firstPos, _) = committed.MinBy(kv => kv.Key);
        Assert.False(node.TryReadCommitted(firstPos + EntryLayout.HeaderSize, new byte[4]), "a deleted range is no longer served");
    }

    [Fact]
    public async Task Reads_after_the_node_stopped_return_false()
    {
        await using var group = new NodeGroup(size: 1);
        await group.StartAll();
        var node = await group.WaitForLeader();
        var outcome = await node.AppendAsync([Encoding.UTF8.GetBytes("hello")], TimeSpan.FromSeconds(20));
        Assert.True(node.TryReadCommitted(outcome.Pos + EntryLayout.HeaderSize, new byte[5]));

        await group.Stop(node.SelfId);

        Assert.False(node.TryReadCommitted(outcome.Pos + EntryLayout.HeaderSize, new byte[5]));
        Assert.Equal(AppendStatus.NotLeader, (await node.AppendAsync([Encoding.UTF8.GetBytes("x")], TimeSpan.FromSeconds(1))).Status);
    }
}
