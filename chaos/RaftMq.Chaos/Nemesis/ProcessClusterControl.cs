using RaftMq.Chaos.Cluster;
using RaftMq.Chaos.Network;
using RaftMq.Chaos.Processes;

namespace RaftMq.Chaos.Nemesis;

/// <summary>Discards a killed node's writes that were never fsynced (a LazyFS-style power loss).</summary>
public interface IPowerLossSimulator
{
    Task DropUnsyncedWritesAsync(NodeLayout node, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IClusterControl"/> over real processes: the supervisor runs <c>raftmq namesrv</c> and one
/// <c>raftmq broker</c> per node of the layout; partitions go through the proxy mesh. Power loss is only
/// offered when an <see cref="IPowerLossSimulator"/> is supplied.
/// </summary>
public sealed class ProcessClusterControl(
    ClusterLayout layout,
    ProcessSupervisor supervisor,
    ProxyMesh mesh,
    ILeaderProbe leaderProbe,
    ProxyMode cutMode = ProxyMode.Blackhole,
    IPowerLossSimulator? powerLoss = null) : IClusterControl
{
    public IReadOnlyList<string> Nodes { get; } = [.. layout.Nodes.Select(n => n.Id)];

    public ILeaderProbe LeaderProbe => leaderProbe;

    public bool SupportsPowerLoss => powerLoss is not null;

    /// <summary>Starts the name server, then every broker.</summary>
    public void StartAll()
    {
        StartNameServer();
        StartBrokers();
    }

    public void StartNameServer() => supervisor.Start(layout.NameServerProcess());

    public void StartBrokers()
    {
        foreach (var node in Nodes)
        {
            supervisor.Start(layout.BrokerProcess(node));
        }
    }

    /// <summary>The supervised broker process of a node (for health checks and logs).</summary>
    public SupervisedProcess BrokerProcess(string node) => Broker(node);

    public Task KillAsync(string node, CancellationToken cancellationToken) =>
        Task.Run(() => Broker(node).Kill(), cancellationToken);

    public Task PauseAsync(string node, CancellationToken cancellationToken)
    {
        Broker(node).Pause();
        return Task.CompletedTask;
    }

    public Task ResumeAsync(string node, CancellationToken cancellationToken)
    {
        Broker(node).Resume();
        return Task.CompletedTask;
    }

    public Task RestartAsync(string node, CancellationToken cancellationToken) =>
        Task.Run(() => Broker(node).Restart(), cancellationToken);

    public async Task PowerLossAsync(IReadOnlyList<string> nodes, CancellationToken cancellationToken)
    {
        var simulator = powerLoss ?? throw new InvalidOperationException("this cluster was started without a power-loss simulator");
        foreach (var node in nodes)
        {
            await KillAsync(node, cancellationToken).ConfigureAwait(false);
        }

        foreach (var node in nodes)
        {
            await simulator.DropUnsyncedWritesAsync(layout.Node(node), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Partition(PartitionPlan plan) => mesh.Apply(plan, cutMode);

    public void HealNetwork() => mesh.Heal();

    private SupervisedProcess Broker(string node) => supervisor[layout.BrokerProcess(node).Name];
}
