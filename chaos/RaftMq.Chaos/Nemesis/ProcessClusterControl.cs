using System.Net;
using System.Net.Sockets;
using RaftMq.Chaos.Cluster;
using RaftMq.Chaos.Network;
using RaftMq.Chaos.Processes;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

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
    ProxiedClusterLayout layout,
    ProcessSupervisor supervisor,
    ProxyMesh mesh,
    ILeaderProbe leaderProbe,
    ProxyMode cutMode = ProxyMode.Blackhole,
    IPowerLossSimulator? powerLoss = null,
    string workloadTopic = "ChaosTopic") : IClusterControl
{
    private readonly Lock _membersLock = new();
    private IReadOnlyList<string> _members = layout.InitialMembers;
    private IReadOnlyList<string> _voters = layout.InitialMembers;

    /// <summary>The group's members now (the first nodes of the layout until the membership nemesis changes them).</summary>
    public IReadOnlyList<string> Nodes
    {
        get
        {
            lock (_membersLock)
            {
                return _members;
            }
        }
    }

    public IReadOnlyList<string> Voters
    {
        get
        {
            lock (_membersLock)
            {
                return _voters;
            }
        }
    }

    public IReadOnlyList<string> Pool { get; } = [.. layout.Nodes.Select(n => n.Id)];

    public int GroupSize => layout.Options.NodeCount;

    public IReadOnlyList<string> Spares => [.. Pool.Except(Nodes)];

    public ILeaderProbe LeaderProbe => leaderProbe;

    public bool SupportsPowerLoss => powerLoss is not null;

    public Hostile.HostileEndpoints Endpoints { get; } = new(
        layout.Options.ClusterName, layout.Options.GroupName, workloadTopic, layout.NameServerPort,
        [.. layout.Nodes.Select(n => new Hostile.NodeEndpoints(n.Id, n.ListenPort, n.RaftPort))]);

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

    public async Task<GroupMembership?> ReadMembershipAsync(string leader, CancellationToken cancellationToken)
    {
        await using var client = new RemotingClient(new RemotingClientOptions { ConnectTimeout = TimeSpan.FromSeconds(1) });
        try
        {
            var response = await client.InvokeAsync(layout.Node(leader).BrokerAddress, RemotingCommand.CreateRequest(RaftStatusCode),
                TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
            if (response.Code != ResponseCode.Success) return null;
            var status = ProtocolJson.Decode<RaftStatusBody>(response.Body.Span);
            if (status.Role != "LEADER") return null;
            return new GroupMembership(
                [.. status.Peers.Where(p => !p.Learner).Select(p => p.Id)],
                status.Peers.Where(p => p.Learner).ToDictionary(p => p.Id, p => p.MatchLag, StringComparer.Ordinal));
        }
        catch (Exception e) when (e is RemotingException or RemotingProtocolException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public async Task<string?> ChangeMembershipAsync(string leader, MembershipChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var request = RemotingCommand.CreateRequest(change.Kind switch
        {
            MembershipChangeKind.AddVoter or MembershipChangeKind.AddLearner => AddPeerCode,
            MembershipChangeKind.Promote => PromotePeerCode,
            _ => RemovePeerCode,
        });
        request.ExtFields.Set("peerId", change.Node);
        if (change.Kind is MembershipChangeKind.AddVoter or MembershipChangeKind.AddLearner)
        {
            request.ExtFields.Set("address", $"127.0.0.1:{layout.Node(change.Node).RaftPort}");
            request.ExtFields.Set("learner", change.Kind == MembershipChangeKind.AddLearner ? "true" : "false");
        }

        await using var client = new RemotingClient(new RemotingClientOptions { ConnectTimeout = TimeSpan.FromSeconds(1) });
        try
        {
            var response = await client.InvokeAsync(layout.Node(leader).BrokerAddress, request, TimeSpan.FromSeconds(5), cancellationToken)
                .ConfigureAwait(false);
            return response.Code == ResponseCode.Success ? null : $"code {response.Code}: {response.Remark}";
        }
        catch (RemotingException e)
        {
            return e.Message;
        }
    }

    public async Task FollowMembershipAsync(GroupMembership membership, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var members = membership.Members;
        lock (_membersLock)
        {
            _members = [.. members];
            _voters = [.. membership.Voters];
        }

        foreach (var node in Pool.Except(members))
        {
            if (supervisor.Find(layout.BrokerProcess(node).Name) is { IsRunning: true } process)
            {
                if (process.IsPaused) process.Resume();
                await process.TerminateAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task StartMemberAsync(string node, CancellationToken cancellationToken)
    {
        if (supervisor.Find(layout.BrokerProcess(node).Name) is { IsRunning: true }) return Task.CompletedTask;
        ClusterLayoutWriter.WriteBrokerConf(layout, layout.Node(node), Nodes.Contains(node) ? Nodes : [.. Nodes, node]);
        if (supervisor.Find(layout.BrokerProcess(node).Name) is { } process)
        {
            if (!process.IsRunning) process.Start();
        }
        else
        {
            supervisor.Start(layout.BrokerProcess(node));
        }

        return Task.CompletedTask;
    }

    /// <summary>The supervised broker process of a node, or null for a spare that never ran.</summary>
    public SupervisedProcess? FindBrokerProcess(string node) => supervisor.Find(layout.BrokerProcess(node).Name);

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

    public Task StopAsync(string node, TimeSpan grace, CancellationToken cancellationToken) =>
        Broker(node).TerminateAsync(grace, cancellationToken);

    public async Task WaitUntilServingAsync(string node, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeUp.CancelAfter(deadline);
        while (!await AcceptsConnectionsAsync(layout.Node(node).ListenPort, timeUp.Token).ConfigureAwait(false)
            || await leaderProbe.FindLeaderAsync(timeUp.Token).ConfigureAwait(false) is null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeUp.Token).ConfigureAwait(false);
        }
    }

    public async Task<bool> TransferLeadershipAsync(string leader, string target, CancellationToken cancellationToken)
    {
        await using var client = new RemotingClient(new RemotingClientOptions { ConnectTimeout = TimeSpan.FromSeconds(1) });
        var request = RemotingCommand.CreateRequest(TransferLeadershipCode);
        request.ExtFields.Set("targetId", target);
        try
        {
            var response = await client.InvokeAsync(layout.Node(leader).BrokerAddress, request, TimeSpan.FromSeconds(3), cancellationToken)
                .ConfigureAwait(false);
            return response.Code == ResponseCode.Success;
        }
        catch (RemotingException)
        {
            return false;
        }
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

    /// <summary>RaftMq's admin code RAFTMQ_TRANSFER_LEADERSHIP (docs/design/broker-processors.md).</summary>
    private const int TransferLeadershipCode = 9001;

    /// <summary>RaftMq's admin codes GET_RAFT_STATUS, ADD_PEER, REMOVE_PEER, PROMOTE_PEER (docs/operations/membership.md).</summary>
    private const int RaftStatusCode = 9002;
    private const int AddPeerCode = 9003;
    private const int RemovePeerCode = 9004;
    private const int PromotePeerCode = 9005;

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private SupervisedProcess Broker(string node) => supervisor[layout.BrokerProcess(node).Name];
}
