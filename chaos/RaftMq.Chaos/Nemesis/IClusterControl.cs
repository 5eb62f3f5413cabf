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

    /// <summary>The members that vote: the quorum every "minority" and "majority" is counted in. Learners (members
    /// that replicate but neither vote nor count for commit) are in <see cref="Nodes"/> only.</summary>
    IReadOnlyList<string> Voters => Nodes;

    /// <summary>How many voters the group is meant to have (the membership nemesis keeps it at that size).</summary>
    int GroupSize => Nodes.Count;

    /// <summary>Every node laid out, members and spares (partitions of the membership nemesis cut all of them).</summary>
    IReadOnlyList<string> Pool => Nodes;

    /// <summary>Laid-out nodes that are not members now: never started, or removed and stopped (their data kept).</summary>
    IReadOnlyList<string> Spares => [];

    /// <summary>The group's configuration as <paramref name="leader"/> reports it (raftStatus, admin code 9002), or null
    /// when it did not answer as leader.</summary>
    Task<GroupMembership?> ReadMembershipAsync(string leader, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this cluster cannot change its members");

    /// <summary>Asks <paramref name="leader"/> for one change (admin codes 9003-9005); returns the broker's refusal, or
    /// null when it answered SUCCESS (committed).</summary>
    Task<string?> ChangeMembershipAsync(string leader, MembershipChange change, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this cluster cannot change its members");

    /// <summary>Records who the members are now: they are the <see cref="Nodes"/> every nemesis and the final heal use,
    /// and its voters the <see cref="Voters"/>. Pool nodes that are not members are stopped (SIGTERM).</summary>
    Task FollowMembershipAsync(GroupMembership membership, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this cluster cannot change its members");

    /// <summary>Starts a member that is not running, with <c>dLegerPeers</c> = the current members (itself included);
    /// nothing when it runs.</summary>
    Task StartMemberAsync(string node, CancellationToken cancellationToken) =>
        throw new NotSupportedException("this cluster cannot change its members");
}

/// <summary>What one membership change asks for.</summary>
public enum MembershipChangeKind
{
    /// <summary>Add as a learner the leader promotes once caught up.</summary>
    AddVoter,

    /// <summary>Add as a learner that stays one until promoted.</summary>
    AddLearner,

    Promote,

    Remove,
}

/// <param name="Node">The node to add, promote or remove.</param>
public sealed record MembershipChange(MembershipChangeKind Kind, string Node);

/// <summary>A group's configuration as its leader reports it.</summary>
/// <param name="LearnerLag">Per learner: how many entries it is behind the leader (-1: unknown).</param>
public sealed record GroupMembership(IReadOnlyList<string> Voters, IReadOnlyDictionary<string, long> LearnerLag)
{
    public IReadOnlyList<string> Members => [.. Voters, .. LearnerLag.Keys];

    public bool IsMember(string node) => Voters.Contains(node) || LearnerLag.ContainsKey(node);

    public bool IsVoter(string node) => Voters.Contains(node);

    public override string ToString() =>
        $"voters {string.Join(",", Voters)}{(LearnerLag.Count == 0 ? "" : $"; learners {string.Join(",", LearnerLag.Select(l => $"{l.Key}(lag {l.Value})"))}")}";
}
