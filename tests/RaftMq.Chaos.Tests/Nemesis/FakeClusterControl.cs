using RaftMq.Chaos.Nemesis;
using RaftMq.Chaos.Network;

namespace RaftMq.Chaos.Tests.Nemesis;

/// <summary>Records what a nemesis does to the cluster as readable lines ("kill n1", "partition isolate n0", ...).
/// The first <paramref name="nodes"/> nodes vote; <paramref name="learners"/> more follow them as learners.</summary>
internal sealed class FakeClusterControl(int nodes, string? leader, bool supportsPowerLoss = false, int learners = 0) : IClusterControl, ILeaderProbe
{
    private readonly List<string> _actions = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<string> Nodes { get; } = [.. Enumerable.Range(0, nodes + learners).Select(i => $"n{i}")];

    public IReadOnlyList<string> Voters { get; } = [.. Enumerable.Range(0, nodes).Select(i => $"n{i}")];

    public ILeaderProbe LeaderProbe => this;

    public bool SupportsPowerLoss => supportsPowerLoss;

    public RaftMq.Chaos.Hostile.HostileEndpoints? Endpoints => null;

    public PartitionPlan? LastPlan { get; private set; }

    public IReadOnlyList<string> Actions
    {
        get
        {
            lock (_lock)
            {
                return [.. _actions];
            }
        }
    }

    public Task<string?> FindLeaderAsync(CancellationToken cancellationToken) => Task.FromResult(leader);

    public Task KillAsync(string node, CancellationToken cancellationToken) => Record($"kill {node}");

    public Task PauseAsync(string node, CancellationToken cancellationToken) => Record($"pause {node}");

    public Task ResumeAsync(string node, CancellationToken cancellationToken) => Record($"resume {node}");

    public Task RestartAsync(string node, CancellationToken cancellationToken) => Record($"restart {node}");

    public Task StopAsync(string node, TimeSpan grace, CancellationToken cancellationToken) => Record($"stop {node}");

    public Task WaitUntilServingAsync(string node, TimeSpan deadline, CancellationToken cancellationToken) => Record($"serving {node}");

    public async Task<bool> TransferLeadershipAsync(string leader, string target, CancellationToken cancellationToken)
    {
        await Record($"transfer {leader} -> {target}");
        return true;
    }

    public Task PowerLossAsync(IReadOnlyList<string> nodes, CancellationToken cancellationToken) =>
        Record($"power-loss {string.Join(",", nodes)}");

    public void Partition(PartitionPlan plan)
    {
        LastPlan = plan;
        Record($"partition {plan.Description}");
    }

    public void HealNetwork() => Record("heal");

    private Task Record(string action)
    {
        lock (_lock)
        {
            _actions.Add(action);
        }

        return Task.CompletedTask;
    }
}
