using RaftMq.Broker.Hosting;
using RaftMq.Consensus.Configuration;
using RaftMq.Foundation.Configuration;

namespace RaftMq.Broker.Tests.MasterSlave;

/// <summary>RocketMQ's classic 2m-2s broker.conf (brokerRole, brokerId, no dLegerPeers) read as a Raft group: the master
/// its only voter, each slave a learner.</summary>
public sealed class ClassicConfTests
{
    // distribution/conf/2m-2s-sync/broker-a.properties as shipped with RocketMQ (values restated), plus one machine's needs.
    private const string SyncMaster = """
        brokerClusterName=DefaultCluster
        brokerName=broker-a
        brokerId=0
        deleteWhen=04
        fileReservedTime=48
        brokerRole=SYNC_MASTER
        flushDiskType=ASYNC_FLUSH
        listenPort=31111
        brokerIP1=127.0.0.1
        namesrvAddr=127.0.0.1:9896
        storePathRootDir=/tmp/raftmq-conf-test/broker-a
        """;

    private const string Slave = """
        brokerClusterName=DefaultCluster
        brokerName=broker-a
        brokerId=1
        deleteWhen=04
        fileReservedTime=48
        brokerRole=SLAVE
        flushDiskType=ASYNC_FLUSH
        listenPort=31121
        brokerIP1=127.0.0.1
        namesrvAddr=127.0.0.1:9896
        storePathRootDir=/tmp/raftmq-conf-test/broker-a-s
        """;

    private static BrokerNodeConfiguration Read(string text, string name = "broker.conf") =>
        BrokerNodeConfiguration.FromFile(PropertiesFile.Parse(text, name));

    [Fact]
    public void A_rocketmq_sync_master_conf_is_the_group_s_only_voter_at_listen_port_plus_one()
    {
        var file = PropertiesFile.Parse(SyncMaster, "broker-a.properties");
        var config = BrokerNodeConfiguration.FromFile(file);

        Assert.Equal(BrokerRole.SyncMaster, config.Broker.Role);
        Assert.Equal(0, config.Broker.BrokerId);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Broker.SyncFlushTimeout);
        Assert.Equal("broker-a", config.Consensus.Group);
        Assert.Equal("n0", config.Consensus.SelfId);
        Assert.Equal("n0-127.0.0.1:31112", config.Consensus.Peers.ToString());
        var raft = config.Consensus.ToRaftOptions();
        raft.Validate();
        Assert.Equal(["n0"], raft.Peers);
        Assert.Equal("voters n0-127.0.0.1:31112", raft.InitialMembership!.ToString());
        Assert.Empty(file.UnreadEntries());
    }

    [Fact]
    public void A_slave_is_a_learner_of_its_master_and_finds_it_later_unless_ha_master_address_names_it()
    {
        var config = Read(Slave);
        var raft = config.Consensus.ToRaftOptions();
        raft.Validate();

        Assert.Equal(BrokerRole.Slave, config.Broker.Role);
        Assert.Equal(1, config.Broker.BrokerId);
        Assert.Equal("n1", config.Consensus.SelfId);
        Assert.Equal(["n0"], raft.Peers);
        Assert.True(raft.InitialMembership!.IsLearner("n1"));
        Assert.Equal("", raft.InitialMembership.Find("n0")!.Address);

        var pointed = Read(Slave + "\nhaMasterAddress=10.0.0.5:31112\nhaListenPort=31200");
        Assert.Equal("10.0.0.5:31112", pointed.Consensus.ToRaftOptions().InitialMembership!.Find("n0")!.Address);
        Assert.Equal("n1-127.0.0.1:31200", pointed.Consensus.Peers.Find("n1")!.ToString());
    }

    [Fact]
    public void A_conf_with_neither_dledger_keys_nor_a_role_runs_as_rocketmq_s_default_async_master()
    {
        var config = Read("brokerName=b\nbrokerIP1=127.0.0.1\nlistenPort=20911\nnamesrvAddr=127.0.0.1:9876");

        Assert.Equal(BrokerRole.AsyncMaster, config.Broker.Role);
        Assert.Equal("n0-127.0.0.1:20912", config.Consensus.Peers.ToString());
    }

    [Theory]
    [InlineData("brokerRole=SLAVE\nbrokerId=0", "brokerId", "SLAVE needs a brokerId above 0")]
    [InlineData("brokerRole=SLAVE", "brokerId", "SLAVE needs a brokerId above 0")]
    [InlineData("brokerRole=SYNC_MASTER\nbrokerId=2", "brokerId", "a master (SYNC_MASTER) has brokerId 0")]
    [InlineData("brokerRole=MASTER", "brokerRole", "expected one of ASYNC_MASTER, SYNC_MASTER, SLAVE")]
    [InlineData("brokerRole=SLAVE\nbrokerId=-1", "brokerId", "-1")]
    [InlineData("brokerRole=SLAVE\nbrokerId=1\nhaMasterAddress=nowhere", "haMasterAddress", "host:port")]
    [InlineData("brokerRole=ASYNC_MASTER\ndLegerGroup=b\ndLegerPeers=n0-127.0.0.1:40911\ndLegerSelfId=n0", "brokerRole", "DLedger group")]
    [InlineData("brokerRole=SLAVE\nbrokerId=1\nenableDLegerCommitLog=true", "brokerRole", "remove the dLeger* keys")]
    [InlineData("enableDLegerCommitLog=false\ndLegerGroup=b\ndLegerPeers=n0-127.0.0.1:40911\ndLegerSelfId=n0", "enableDLegerCommitLog", "remove the dLeger* keys")]
    [InlineData("syncFlushTimeout=0", "syncFlushTimeout", "0")]
    public void Wrong_combinations_are_refused_naming_the_key_and_what_to_do(string lines, string key, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Read("brokerName=b\nbrokerIP1=127.0.0.1\n" + lines, "/etc/raftmq/b.conf"));

        Assert.Equal(key, error.Key);
        Assert.Contains(expected, error.Message);
        Assert.Contains("/etc/raftmq/b.conf", error.Message);
    }

    [Theory]
    [InlineData("2m-2s-async")]
    [InlineData("2m-2s-sync")]
    public void The_shipped_samples_are_two_groups_of_a_master_and_a_slave_on_distinct_ports_below_32768(string layout)
    {
        string folder = Path.Combine(RepositoryRoot(), "conf", layout);
        var configs = new[] { "broker-a", "broker-a-s", "broker-b", "broker-b-s" }
            .Select(name => Read(File.ReadAllText(Path.Combine(folder, name + ".properties")), name)).ToArray();

        Assert.Equal(["broker-a", "broker-a", "broker-b", "broker-b"], configs.Select(c => c.Broker.BrokerName));
        Assert.Equal([0L, 1L, 0L, 1L], configs.Select(c => c.Broker.BrokerId));
        var master = layout == "2m-2s-sync" ? BrokerRole.SyncMaster : BrokerRole.AsyncMaster;
        Assert.Equal([master, BrokerRole.Slave, master, BrokerRole.Slave], configs.Select(c => c.Broker.Role!.Value));
        var ports = configs.SelectMany(c => new[] { c.Broker.ListenPort, c.Consensus.Peers.Find(c.Consensus.SelfId)!.Port }).ToArray();
        Assert.Equal(ports.Length, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 1024, 32767));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RaftMq.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("RaftMq.sln not found above " + AppContext.BaseDirectory);
    }
}
