using System.Diagnostics;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Wire;

namespace RaftMq.Architecture.Tests;

/// <summary>
/// The Raft core and its wire codec are pure: no clock, IO, sockets, threads, timers or shared randomness
/// (randomness only through IRandomSource), so the deterministic simulator runs the real code.
/// </summary>
public sealed class PureCoreTests
{
    private static readonly string[] ForbiddenNamespaces = { "System.IO", "System.Net", "System.Threading" };

    private static readonly Type[] ForbiddenTypes =
    {
        typeof(DateTime), typeof(DateTimeOffset), typeof(Stopwatch), typeof(Environment), typeof(Random),
        typeof(Console), typeof(TimeProvider),
    };

    internal static bool IsForbidden(Type type) =>
        ForbiddenTypes.Contains(type)
        || ForbiddenNamespaces.Any(ns => type.Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal)));

    [Fact]
    public void Raft_core_and_wire_codec_touch_no_clock_io_thread_or_shared_randomness()
    {
        Type[] pureTypes = typeof(RaftCore).Assembly.GetTypes()
            .Where(t => t.Namespace is "RaftMq.Consensus.Core" or "RaftMq.Consensus.Wire")
            .ToArray();
        Assert.Contains(typeof(RaftCore), pureTypes);
        Assert.Contains(typeof(MessageCodec), pureTypes);

        List<string> findings = IlScanner.FindReferences(pureTypes, IsForbidden);

        Assert.True(findings.Count == 0, "forbidden references:\n" + string.Join("\n", findings.Distinct()));
    }

    [Theory]
    [InlineData(nameof(ForbiddenSamples.ReadsTheClock), "System.DateTime")]
    [InlineData(nameof(ForbiddenSamples.MeasuresTime), "System.Diagnostics.Stopwatch")]
    [InlineData(nameof(ForbiddenSamples.ReadsTickCount), "System.Environment")]
    [InlineData(nameof(ForbiddenSamples.SharesRandomness), "System.Random")]
    [InlineData(nameof(ForbiddenSamples.Sleeps), "System.Threading.Thread")]
    [InlineData(nameof(ForbiddenSamples.Waits), "System.Threading.Tasks.Task")]
    [InlineData(nameof(ForbiddenSamples.ReadsAFile), "System.IO.File")]
    [InlineData(nameof(ForbiddenSamples.Prints), "System.Console")]
    [InlineData(nameof(ForbiddenSamples.Locks), "System.Threading.Monitor")]
    public void Scanner_reports_a_forbidden_reference(string method, string forbiddenType)
    {
        List<string> findings = IlScanner.FindReferences(new[] { typeof(ForbiddenSamples) }, IsForbidden);

        Assert.Contains(findings, f => f.Contains($".{method} -> {forbiddenType}", StringComparison.Ordinal));
    }

    [Fact]
    public void Scanner_finds_forbidden_types_inside_generic_arguments_and_fields()
    {
        List<string> findings = IlScanner.FindReferences(new[] { typeof(HidesATimer) }, IsForbidden);

        Assert.Contains(findings, f => f.EndsWith("-> System.Threading.Timer", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.EndsWith("-> System.Threading.Tasks.Task", StringComparison.Ordinal));
    }

    [Fact]
    public void Scanner_reads_the_method_bodies_of_the_core()
    {
        // Crc32C appears only inside MessageCodec's IL (a call), never in a signature.
        Type[] codec = { typeof(MessageCodec) };

        List<string> findings = IlScanner.FindReferences(codec, t => t == typeof(RaftMq.Foundation.Checksums.Crc32C));

        Assert.Contains(findings, f => f.Contains("MessageCodec.Encode -> RaftMq.Foundation.Checksums.Crc32C", StringComparison.Ordinal));
    }

    [Fact]
    public void Scanner_accepts_a_clean_type()
    {
        Assert.Empty(IlScanner.FindReferences(new[] { typeof(Clean) }, IsForbidden));
    }

    /// <summary>Test-only code that breaks the purity rules on purpose, one rule per method.</summary>
    private static class ForbiddenSamples
    {
        public static long ReadsTheClock() => DateTime.Now.Ticks;
        public static long MeasuresTime() => Stopwatch.GetTimestamp();
        public static long ReadsTickCount() => Environment.TickCount64;
        public static int SharesRandomness() => Random.Shared.Next();
        public static void Sleeps() => Thread.Sleep(1);
        public static void Waits() => Task.Delay(1).Wait();
        public static string ReadsAFile() => File.ReadAllText("x");
        public static void Prints() => Console.WriteLine();

        public static void Locks(object gate)
        {
            lock (gate)
            {
                GC.KeepAlive(gate);
            }
        }
    }

    private sealed class HidesATimer
    {
        private readonly List<Timer> _timers = new();
        public Dictionary<string, Task> Pending { get; } = new();
        public int Count => _timers.Count;
    }

    private sealed class Clean
    {
        private readonly List<long> _values = new();
        public long Sum() => _values.Sum();
    }
}
