using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Consensus;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Runtime;

namespace RaftMq.Cli.Bench;

public static partial class RaftBench
{
    private readonly record struct GroupResult(int InFlight, double PerSecond, double P50, double P99);

    /// <summary>(c) A 3-node group in this process on loopback; callers keep N appends in flight on the leader.</summary>
    private static async Task<List<GroupResult>> MeasureGroupAsync(string root, FlushDiskType flush, int[] inFlightLevels, TimeSpan duration)
    {
        int[] ports = FreePorts(3);
        string peers = string.Join(';', ports.Select((port, i) => $"n{i}-127.0.0.1:{port}"));
        var nodes = new List<RaftNode>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var options = new ConsensusOptions
                {
                    Group = "bench", Peers = DLedgerPeers.Parse(peers), SelfId = $"n{i}", StorePathRootDir = root,
                    FlushDiskType = flush, DataFileSizeBytes = 256L << 20,
                };
                var node = RaftNode.Create(options, new CountingStateMachine(), NullLoggerFactory.Instance,
                    new RaftNodeSettings { RetentionCheckInterval = null });
                await node.StartAsync().ConfigureAwait(false);
                nodes.Add(node);
            }
            var results = new List<GroupResult>();
            foreach (int inFlight in inFlightLevels) results.Add(await LoadAsync(nodes, inFlight, duration).ConfigureAwait(false));
            return results;
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="inFlight"/> closed-loop appenders against the leader for the duration.</summary>
    private static async Task<GroupResult> LoadAsync(List<RaftNode> nodes, int inFlight, TimeSpan duration)
    {
        var payload = new ReadOnlyMemory<byte>[] { new byte[EntryBytes] };
        var latencies = new List<double>[inFlight];
        var clock = Stopwatch.StartNew();
        var workers = new Task[inFlight];
        for (int w = 0; w < inFlight; w++)
        {
            var samples = latencies[w] = new List<double>(4096);
            workers[w] = Task.Run(async () =>
            {
                while (clock.Elapsed < duration)
                {
                    var leader = nodes.Find(n => n.State.Role == RaftRole.Leader);
                    if (leader is null)
                    {
                        await Task.Delay(10).ConfigureAwait(false);
                        continue;
                    }
                    long start = Stopwatch.GetTimestamp();
                    var outcome = await leader.AppendAsync(payload, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                    if (outcome.Status == AppendStatus.Committed) samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    else await Task.Delay(1).ConfigureAwait(false);
                }
            });
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
        double seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new GroupResult(inFlight, all.Length / seconds, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static int[] FreePorts(int count) => [.. RaftMq.Protocol.Remoting.LoopbackPorts.Allocate(count)];

    /// <summary>Applies nothing but the index: the benchmark measures consensus, not a state machine.</summary>
    private sealed class CountingStateMachine : IStateMachine
    {
        public long AppliedIndex { get; private set; }

        public long AppliedTerm { get; private set; }

        public long Apply(LogEntry entry)
        {
            AppliedTerm = entry.Term;
            return AppliedIndex = entry.Index;
        }

        public void Reset() => (AppliedIndex, AppliedTerm) = (0, 0);

        public ReadOnlyMemory<byte> TakeSnapshot() => BitConverter.GetBytes(AppliedIndex);

        public void RestoreSnapshot(Snapshot snapshot) => (AppliedIndex, AppliedTerm) = (snapshot.Index, snapshot.Term);
    }
}
