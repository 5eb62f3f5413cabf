using RaftMq.Chaos.Network;

namespace RaftMq.Chaos.Nemesis;

/// <summary>Finds the group's current leader (the broker registered as brokerId 0), or null if there is none now.</summary>
public interface ILeaderProbe
{
    Task<string?> FindLeaderAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Everything a nemesis may do to the cluster. <see cref="ProcessClusterControl"/> drives real processes
/// and proxies; tests use a fake that records the calls.
/// </summary>
public interface IClusterControl
{
    /// <summary>Node ids of the group, e.g. n0, n1, n2.</summary>
    IReadOnlyList<string> Nodes { get; }

    ILeaderProbe LeaderProbe { get; }

    /// <summary>The ports hostile clients can reach; null when the cluster is not real (no hostile traffic then).</summary>
    Hostile.HostileEndpoints? Endpoints { get; }

    /// <summary>Whether <see cref="PowerLossAsync"/> can discard unsynced writes on this cluster.</summary>
    bool SupportsPowerLoss { get; }

    /// <summary>kill -9 the node's process.</summary>
    Task KillAsync(string node, CancellationToken cancellationToken);

    /// <summary>SIGSTOP.</summary>
    Task PauseAsync(string node, CancellationToken cancellationToken);

    /// <summary>SIGCONT.</summary>
    Task ResumeAsync(string node, CancellationToken cancellationToken);

    /// <summary>SIGTERM and wait until the process exited (a leader hands over first); SIGKILL if it does not exit
    /// within <paramref name="grace"/>.</summary>
    Task StopAsync(string node, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Waits until the node accepts client connections and the group has a writable leader.</summary>
    Task WaitUntilServingAsync(string node, TimeSpan deadline, CancellationToken cancellationToken);

    /// <summary>Asks <paramref name="leader"/> (admin code 9001) to hand leadership to <paramref name="target"/>; false
    /// when it refused (not leader) or did not answer.</summary>
    Task<bool> TransferLeadershipAsync(string leader, string target, CancellationToken cancellationToken);

    /// <summary>Starts the node again (killing it first if it still runs).</summary>
    Task RestartAsync(string node, CancellationToken cancellationToken);

    /// <summary>Simulated power loss of the nodes: kill -9, then drop every write they had not fsynced.</summary>
    Task PowerLossAsync(IReadOnlyList<string> nodes, CancellationToken cancellationToken);

    /// <summary>Cuts the plan's Raft links between group members (client traffic is untouched).</summary>
    void Partition(PartitionPlan plan);

    void HealNetwork();
}
