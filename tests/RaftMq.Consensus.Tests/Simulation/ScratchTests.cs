using RaftMq.Consensus.Core;
using Xunit.Abstractions;

namespace RaftMq.Consensus.Tests.Simulation;

public sealed class ScratchTests(ITestOutputHelper output)
{
    [Fact]
    public void Scratch()
    {
        var bug = Enum.Parse<PlantedBugs>(Environment.GetEnvironmentVariable("X_BUG") ?? "None");
        var profile = new SimulationProfile { Bugs = bug, FaultSeconds = int.Parse(Environment.GetEnvironmentVariable("X_SECONDS") ?? "60"), LeaderChurn = Environment.GetEnvironmentVariable("X_CHURN") == "1", ProposalsPerTick = double.Parse(Environment.GetEnvironmentVariable("X_RATE") ?? "0.3"), MeanFaultIntervalSeconds = double.Parse(Environment.GetEnvironmentVariable("X_INTERVAL") ?? "3") };
        var trace = new List<string>();
        var r = Simulation.Run(int.Parse(Environment.GetEnvironmentVariable("X_SEED")!), profile, trace);
        output.WriteLine(r.ToString());
        foreach (var l in trace.Skip(Math.Max(0, trace.Count - int.Parse(Environment.GetEnvironmentVariable("X_TAIL") ?? "80")))) output.WriteLine(l);
    }
}

public sealed class ScratchSweep(ITestOutputHelper output)
{
    [Fact]
    public void Sweep()
    {
        var bug = Enum.Parse<PlantedBugs>(Environment.GetEnvironmentVariable("X_BUG") ?? "None");
        var profile = new SimulationProfile { Bugs = bug, FaultSeconds = int.Parse(Environment.GetEnvironmentVariable("X_SECONDS") ?? "60"), LeaderChurn = Environment.GetEnvironmentVariable("X_CHURN") == "1", ProposalsPerTick = double.Parse(Environment.GetEnvironmentVariable("X_RATE") ?? "0.3"), MeanFaultIntervalSeconds = double.Parse(Environment.GetEnvironmentVariable("X_INTERVAL") ?? "3") };
        if (Environment.GetEnvironmentVariable("X_TINY") == "1") profile = profile with { MaxInflightChoices = new[] { 1 }, MaxAppendBytesChoices = new[] { 1 } };
        if (Environment.GetEnvironmentVariable("X_NODES") is { } nodes) profile = profile with { Nodes = int.Parse(nodes) };
        int n = int.Parse(Environment.GetEnvironmentVariable("X_N") ?? "500");
        var seeds = Enumerable.Range(int.Parse(Environment.GetEnvironmentVariable("X_BASE") ?? "1"), n).ToArray();
        var results = new SimulationResult[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => results[i] = Simulation.Run(seeds[i], profile));
        foreach (var r in results.Where(r => !r.Passed).Take(30)) output.WriteLine($"seed {r.Seed}: {r.Violation}");
        output.WriteLine($"failures {results.Count(r => !r.Passed)} / {n}; virtual {results.Sum(r => r.VirtualSeconds):F0}");
    }
}
