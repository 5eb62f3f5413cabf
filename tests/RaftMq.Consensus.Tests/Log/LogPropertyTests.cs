using FsCheck;
using FsCheck.Fluent;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;

namespace RaftMq.Consensus.Tests.Log;

/// <summary>
/// Random operation sequences against an in-memory model, and random damage after a crash. Scenarios are built from
/// FsCheck-generated integers (so failures shrink and print the inputs that replay them).
/// </summary>
public class LogPropertyTests
{
    private static readonly Config Cases = Config.QuickThrowOnFailure.WithMaxTest(100);

    [Fact]
    public void Random_appends_truncations_and_reopens_match_an_in_memory_model()
    {
        Check.One(Cases, Prop.ForAll<int[]>(operations =>
        {
            RunAgainstModel(operations);
            return true;
        }));
    }

    [Fact]
    public void Damage_after_a_crash_never_serves_a_bad_entry_nor_silently_loses_a_synced_one()
    {
        Check.One(Cases, Prop.ForAll<int, int, int>((seed, syncedShare, damage) =>
        {
            CrashAndDamage(seed, syncedShare, damage);
            return true;
        }));
    }

    private static void RunAgainstModel(int[] operations)
    {
        using var store = new TempStore(segmentSize: 512, indexUnitsPerFile: 4, cachedEntries: 3);
        var model = new List<LogEntry>();
        long term = 1;
        var log = store.Open();
        try
        {
            foreach (int operation in operations)
            {
                uint value = (uint)operation;
                int parameter = (int)(value / 6);
                switch (value % 6)
                {
                    case 0 or 1:
                        if (parameter % 4 == 0) term++;
                        var appended = new EntryChain(model.Count + 1, EndOf(model), parameter).Take(1 + (parameter % 5), term, parameter % 300);
                        log.Append(appended);
                        model.AddRange(appended);
                        break;
                    case 2 when model.Count > 0:
                        int from = 1 + (parameter % model.Count);
                        log.TruncateSuffix(from);
                        model.RemoveRange(from - 1, model.Count - from + 1);
                        break;
                    case 3 when model.Count > 0:
                        // A follower repairing divergence: a new leader's entries replace a suffix.
                        int first = Math.Max(1, model.Count - (parameter % 4));
                        term++;
                        var replacement = new EntryChain(first, model[first - 1].Pos, parameter).Take(1 + (parameter % 3), term, parameter % 700);
                        log.Append(replacement);
                        model.RemoveRange(first - 1, model.Count - first + 1);
                        model.AddRange(replacement);
                        break;
                    case 4:
                        log.Sync();
                        Assert.Equal(model.Count, log.DurableIndex);
                        break;
                    case 5:
                        log.Dispose();
                        log = store.Open();
                        Assert.False(log.IsCorrupt, log.CorruptionReason);
                        break;
                }
                Assert.Equal(model.Count, log.LastIndex);
                Assert.Equal(EndOf(model), log.NextPos);
            }
            log.Dispose();
            log = store.Open();
            Assert.False(log.IsCorrupt, log.CorruptionReason);
            LogAssert.SameEntries(model, LogAssert.All(log));
            foreach (var entry in model) Assert.Equal(entry.Term, log.TermAt(entry.Index));
        }
        finally
        {
            log.Dispose();
        }
    }

    private static long EndOf(List<LogEntry> entries) => entries.Count == 0 ? 0 : entries[^1].EndPos;

    private static void CrashAndDamage(int seed, int syncedShare, int damage)
    {
        var random = new Random(seed);
        // Sometimes Open verifies only a short tail (and the index is fsynced lazily); damage further back is then
        // caught when read, which marks the log corrupt too.
        bool fullVerify = random.Next(3) > 0;
        using var store = new TempStore(segmentSize: 512, indexUnitsPerFile: 8, verifyBytes: fullVerify ? 2L << 30 : 700);
        var written = BuildEntries(random, count: random.Next(1, 40));
        int synced = (int)((uint)syncedShare % (written.Count + 1));
        using (var log = store.Open())
        {
            log.Append(written.Take(synced).ToList());
            log.Sync();
            if (synced < written.Count) log.Append(written.Skip(synced).ToList());
        }
        bool dataDamaged = Damage(store, random, (uint)damage % 4);

        using var recovered = store.Open();
        IReadOnlyList<LogEntry> served = [];
        try
        {
            if (!recovered.IsCorrupt) served = LogAssert.All(recovered);
        }
        catch (LogCorruptedException)
        {
            Assert.False(fullVerify, "a fully verified log found corruption only when read");
        }
        if (recovered.IsCorrupt)
        {
            Assert.True(dataDamaged || !fullVerify, "only the derived index was damaged, yet the log says corrupt: " + recovered.CorruptionReason);
            return;
        }
        Assert.True(served.Count >= synced, $"synced entries lost: {served.Count} served, {synced} synced");
        LogAssert.SameEntries(written.Take(served.Count).ToList(), served);
        if (!dataDamaged) Assert.Equal(written.Count, served.Count);
        recovered.Dispose();
        using var again = store.Open();
        Assert.False(again.IsCorrupt, again.CorruptionReason);
        Assert.Equal(served.Count, again.LastIndex);
    }

    private static List<LogEntry> BuildEntries(Random random, int count)
    {
        var chain = new EntryChain(seed: random.Next());
        var entries = new List<LogEntry>();
        long term = 1;
        for (int i = 0; i < count; i++)
        {
            if (random.Next(5) == 0) term++;
            entries.Add(chain.Next(term, random.Next(0, 400), random.Next(10) == 0 ? EntryType.Noop : EntryType.Normal));
        }
        return entries;
    }

    /// <summary>0: cut the last data segment at a random byte; 1: flip bits in data; 2: flip bits in the index;
    /// 3: cut and flip. Returns whether data bytes changed.</summary>
    private static bool Damage(TempStore store, Random random, uint mode)
    {
        bool dataDamaged = false;
        if (mode is 0 or 3)
        {
            string last = store.DataFiles()[^1];
            long length = new FileInfo(last).Length;
            long cut = random.NextInt64(0, length + 1);
            using (var stream = new FileStream(last, FileMode.Open)) stream.SetLength(cut);
            dataDamaged |= cut < length;
        }
        if (mode is 1 or 3) dataDamaged |= FlipRandomBits(store.DataFiles(), random);
        if (mode is 2) FlipRandomBits(store.IndexFiles(), random);
        return dataDamaged;
    }

    private static bool FlipRandomBits(string[] files, Random random)
    {
        bool flipped = false;
        for (int i = random.Next(1, 4); i > 0; i--)
        {
            string file = files[random.Next(files.Length)];
            long length = new FileInfo(file).Length;
            if (length == 0) continue;
            TempStore.FlipFileBit(file, random.NextInt64(length), random.Next(8));
            flipped = true;
        }
        return flipped;
    }
}
