using RaftMq.Cli.LocalCluster;
using RaftMq.Cli.Processes;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Tls;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>
/// One name server and a 3-node broker group as real raftmq processes on free loopback ports, shared by the tests
/// of <see cref="E2EClusterCollection"/> (they run one after another). Tests that kill a node restart it and wait
/// until it caught up, so the next test finds the whole group.
/// </summary>
public class E2ECluster : IAsyncLifetime
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly TestDirectory _root = new("cluster");
    private LocalClusterProcesses? _processes;
    private MQAdminClient? _admin;

    /// <summary>Short transaction checks, so that check-back tests take seconds: first check after 2 s, then every 2 s,
    /// discarded after 3 checks.</summary>
    public static readonly IReadOnlyDictionary<string, string> TransactionKeys = new Dictionary<string, string>
    {
        ["transactionTimeOut"] = "2000",
        ["transactionCheckInterval"] = "2000",
        ["transactionCheckMax"] = "3",
    };

    /// <summary>The shared cluster's extra broker.conf keys: <see cref="TransactionKeys"/>, SQL92 filtering on
    /// (Sql92EndToEndTests) and the trace topic (TraceEndToEndTests).</summary>
    private static readonly IReadOnlyDictionary<string, string> BrokerKeys =
        new Dictionary<string, string>(TransactionKeys) { ["enablePropertyFilter"] = "true", ["traceTopicEnable"] = "true" };

    public ClusterLayout Layout { get; private set; } = null!;

    public string NameServer => Layout.NameServerAddress;

    public MQAdminClient Admin => _admin ?? throw new InvalidOperationException("cluster not started");

    public LocalClusterProcesses Processes => _processes ?? throw new InvalidOperationException("cluster not started");

    /// <summary>Keys the admin client signs with (a cluster with ACL on needs an admin account).</summary>
    public virtual AclCredentials? AdminCredentials => null;

    /// <summary>TLS of the admin client (and of the clients tests make for a cluster with TLS on).</summary>
    public virtual ClientTlsOptions? ClientTls => null;

    /// <summary>The folder with the cluster's files (conf/, store/, logs/).</summary>
    public string Root => _root.Path;

    /// <summary>Extra broker.conf keys of every node.</summary>
    protected virtual IReadOnlyDictionary<string, string>? ExtraBrokerKeys => null;

    /// <summary>Adds files to the conf folder before anything starts.</summary>
    protected virtual void PrepareConf(string confDirectory)
    {
    }

    public async Task InitializeAsync()
    {
        string conf = ClusterConfs.Write(_root.Path, extraBrokerKeys: ExtraBrokerKeys ?? BrokerKeys, metrics: true);
        PrepareConf(conf);
        Layout = ClusterLayout.Load(conf);
        _processes = new LocalClusterProcesses(Layout, RaftMqBinary.Launcher, Path.Combine(_root.Path, "logs"), _root.Path);
        using var timeout = new CancellationTokenSource(Deadline * 2);
        await _processes.StartNameServerAsync(timeout.Token);
        await _processes.StartAllBrokersAsync(timeout.Token);
        _admin = new MQAdminClient(new AdminOptions { NameServerAddresses = [NameServer], InstanceName = "e2e-admin", Credentials = AdminCredentials, Tls = ClientTls });
        await _admin.StartAsync(timeout.Token);
        await WaitForLeaderAsync(excluding: null);
    }

    /// <summary>The master node once the name server lists one other than <paramref name="excluding"/>.</summary>
    public Task<BrokerNodeLayout> WaitForLeaderAsync(BrokerNodeLayout? excluding) =>
        Poll.UntilAsync(async token =>
        {
            var leader = await ClusterLeader.FindAsync(Admin, Layout, token);
            return leader is not null && leader != excluding ? leader : null;
        }, Deadline, PollInterval, "a group leader", CancellationToken.None);

    /// <summary>SIGKILLs the current leader; returns it.</summary>
    public async Task<BrokerNodeLayout> KillLeaderAsync()
    {
        var leader = await WaitForLeaderAsync(excluding: null);
        await Processes.KillBrokerAsync(leader.Index);
        return leader;
    }

    /// <summary>Starts a killed node again and waits until it answers as a follower of the group.</summary>
    public async Task RestartAsync(BrokerNodeLayout node)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        await Processes.StartBrokerAsync(node.Index, timeout.Token);
        await Poll.UntilTrueAsync(async token =>
        {
            var nodes = await Admin.GetClusterInfoAsync(token);
            return nodes.Any(info => Layout.FindByAddress(info.Address) == node && info.RuntimeInfo is not null);
        }, Deadline, PollInterval, $"{node.SelfId} to register again", timeout.Token);
    }

    public async Task CreateTopicAsync(string topic, int queues, bool order = false)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        await Poll.UntilTrueAsync(async token =>
        {
            try
            {
                await Admin.CreateOrUpdateTopicAsync(Layout.ClusterName,
                    new TopicSettings { Topic = topic, ReadQueueNums = queues, WriteQueueNums = queues, Order = order }, token);
                return true;
            }
            catch (RaftMq.Client.MQException)
            {
                return false; // a leader change in between: try again on the new master
            }
        }, Deadline, PollInterval, $"topic {topic} to be created", timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null) await _admin.DisposeAsync();
        if (_processes is not null)
        {
            await _processes.StopAllAsync();
            await _processes.DisposeAsync();
        }
        _root.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class E2EClusterCollection : ICollectionFixture<E2ECluster>
{
    public const string Name = "raftmq e2e cluster";
}
