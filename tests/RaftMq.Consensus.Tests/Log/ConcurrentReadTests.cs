using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Tests.Log;

public class ConcurrentReadTests
{
    [Fact]
    public async Task Readers_on_other_threads_see_consistent_entries_while_the_log_appends_and_truncates()
    {
        using var store = new TempStore(segmentSize: 1024, cachedEntries: 16);
        using var log = store.Open();
        var written = new EntryChain().Take(600, term: 1, bodyLength: 90);
        using var stop = new CancellationTokenSource();
        int reads = 0;
        var reader = Task.Run(() =>
        {
            var header = new byte[EntryCodec.HeaderSize];
            while (!stop.IsCancellationRequested)
            {
                long last = log.LastIndex;
                if (last < 1) continue;
                long from = Math.Max(1, last - 40);
                // The suffix may be truncated concurrently; a range that vanished is refused, never served wrong.
                try
                {
                    foreach (var entry in log.Entries(from, last, 4096))
                        LogAssert.SameEntry(written[(int)entry.Index - 1], entry);
                    if (log.TryRead(written[(int)from - 1].Pos, header))
                        Assert.Equal(EntryCheck.Ok, EntryCodec.TryReadHeader(header, out _));
                }
                catch (ArgumentOutOfRangeException)
                {
                }
                Interlocked.Increment(ref reads);
            }
        });
        for (int i = 0; i < written.Count; i += 20)
        {
            log.Append(written.Skip(i).Take(20).ToList());
            if (i % 100 == 0) log.Sync();
            if (i % 160 == 0 && i > 0)
            {
                log.TruncateSuffix(i - 10);
                log.Append(written.Skip(i - 11).Take(31).ToList());
            }
        }
        SpinWait.SpinUntil(() => Volatile.Read(ref reads) > 50, TimeSpan.FromSeconds(30));
        stop.Cancel();
        await reader;
        Assert.False(log.IsCorrupt, log.CorruptionReason);
        Assert.Equal(600, log.LastIndex);
        Assert.True(reads > 0);
    }
}
