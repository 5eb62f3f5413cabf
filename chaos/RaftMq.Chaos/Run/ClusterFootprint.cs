using System.Globalization;
using RaftMq.Chaos.Wiring;

namespace RaftMq.Chaos.Run;

/// <summary>
/// One node at one moment: its broker's anonymous resident memory (heap, stacks and native buffers; null when not
/// running) and its Raft view. File-backed pages (mapped log segments) are page cache, not memory the broker holds,
/// and grow with the log, so they are left out.
/// </summary>
/// <param name="Starts">How many times the supervisor started the node's process so far (a crash and restart adds one).</param>
public sealed record NodeFootprint(string Node, long? RssBytes, long Term, string? Role, int Starts);

/// <summary>
/// Every node's resident memory and Raft term at one moment. Two of them (before the first fault, after the final
/// heal) tell whether faults that should cost nothing -- hostile traffic -- caused an election or left memory behind.
/// </summary>
public sealed record ClusterFootprint(IReadOnlyList<NodeFootprint> Nodes)
{
    public long MaxTerm => Nodes.Count == 0 ? 0 : Nodes.Max(n => n.Term);

    public static async Task<ClusterFootprint> TakeAsync(
        IReadOnlyList<string> nodes, Func<string, (int? Pid, int Starts)> processOf, RuntimeInfoLeaderProbe probe, CancellationToken cancellationToken)
    {
        var states = await probe.ProbeAsync(cancellationToken).ConfigureAwait(false);
        return new ClusterFootprint([.. nodes.Select(node =>
        {
            var state = states.FirstOrDefault(s => s.Node == node);
            var (pid, starts) = processOf(node);
            return new NodeFootprint(node, ResidentBytes(pid), state?.Term ?? 0, state?.Error is null ? state?.RaftRole : null, starts);
        })]);
    }

    /// <summary>RssAnon of a Linux process from /proc; null when it is gone or not on Linux.</summary>
    public static long? ResidentBytes(int? pid)
    {
        if (pid is null) return null;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("RssAnon:", StringComparison.Ordinal)) continue;
                var kb = line["RssAnon:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}

/// <summary>What the run's two footprints say, and whether they meet the limits the run was given.</summary>
public sealed record FootprintVerdict(ClusterFootprint Before, ClusterFootprint After, bool ExpectNoDisruption, double? MaxRssGrowth)
{
    public long TermChanges => Math.Max(0, After.MaxTerm - Before.MaxTerm);

    /// <summary>Largest relative growth of a node's memory (0.05 = +5%); null when no node was measured twice.</summary>
    public double? LargestRssGrowth => Growths().Select(g => (double?)g.Growth).DefaultIfEmpty(null).Max();

    public IReadOnlyList<string> Violations
    {
        get
        {
            var violations = new List<string>();
            if (ExpectNoDisruption && TermChanges > 0)
            {
                violations.Add($"the Raft term moved from {Before.MaxTerm} to {After.MaxTerm}: faults that should cost nothing caused elections");
            }
            if (ExpectNoDisruption)
            {
                foreach (var (node, restarts) in Restarts().Where(r => r.Restarts > 0))
                {
                    violations.Add($"{node}'s broker process died and was started again {restarts} time(s)");
                }
            }
            if (MaxRssGrowth is { } limit)
            {
                foreach (var (node, growth) in Growths().Where(g => g.Growth > limit))
                {
                    violations.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{node}'s anonymous resident memory grew {growth:P0}, more than the allowed {limit:P0}"));
                }
            }
            return violations;
        }
    }

    public bool IsValid => Violations.Count == 0;

    public IEnumerable<string> Lines()
    {
        foreach (var before in Before.Nodes)
        {
            var after = After.Nodes.FirstOrDefault(n => n.Node == before.Node);
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{before.Node}: anonymous rss {Megabytes(before.RssBytes)} -> {Megabytes(after?.RssBytes)}, term {before.Term} -> {after?.Term}, role {before.Role ?? "?"} -> {after?.Role ?? "?"}, process starts {before.Starts} -> {after?.Starts}");
        }
        yield return string.Create(CultureInfo.InvariantCulture,
            $"term changes: {TermChanges}; largest memory growth: {(LargestRssGrowth is { } g ? g.ToString("P1", CultureInfo.InvariantCulture) : "n/a")}");
        foreach (var violation in Violations) yield return $"VIOLATION: {violation}";
    }

    private IEnumerable<(string Node, int Restarts)> Restarts() =>
        Before.Nodes.Select(before => (before.Node, (After.Nodes.FirstOrDefault(n => n.Node == before.Node)?.Starts ?? before.Starts) - before.Starts));

    private IEnumerable<(string Node, double Growth)> Growths()
    {
        foreach (var before in Before.Nodes)
        {
            var after = After.Nodes.FirstOrDefault(n => n.Node == before.Node);
            if (before.RssBytes is > 0 && after?.RssBytes is { } rss) yield return (before.Node, (double)rss / before.RssBytes.Value - 1);
        }
    }

    private static string Megabytes(long? bytes) =>
        bytes is { } b ? (b / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB" : "n/a";
}
