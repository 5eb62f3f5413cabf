using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Broker.Hosting;
using RaftMq.Broker.Tests.Processors.Fakes;
using RaftMq.Consensus.Configuration;
using RaftMq.Consensus.Core;
using RaftMq.Foundation.Configuration;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Remoting;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

public sealed class BrokerHostingTests
{
    private const string SampleConf = """
        brokerClusterName = RaftCluster
        brokerName=RaftNode00
        listenPort=30911
        namesrvAddr=127.0.0.1:9876
        storePathRootDir=/tmp/rmqstore/node00
        storePathCommitLog=/tmp/rmqstore/node00/commitlog
        enableDLegerCommitLog=true
        dLegerGroup=RaftNode00
        dLegerPeers=n0-127.0.0.1:40911;n1-127.0.0.1:40912;n2-127.0.0.1:40913
        ## must be unique
        dLegerSelfId=n0
        sendMessageThreadPoolNums=16
        """;

    [Fact]
    public void The_rocketmq_dledger_sample_configuration_is_read_without_unknown_keys()
    {
        var file = PropertiesFile.Parse(SampleConf + "\nbrokerIP1=127.0.0.1", "broker-n0.conf");
        var config = BrokerNodeConfiguration.FromFile(file);

        Assert.Equal("RaftCluster", config.Broker.ClusterName);
        Assert.Equal("RaftNode00", config.Broker.BrokerName);
        Assert.Equal(30911, config.Broker.ListenPort);
        Assert.Equal(["127.0.0.1:9876"], config.Broker.NameServerAddresses);
        Assert.Equal(16, config.Broker.SendThreads);
        Assert.Equal(4096, config.Broker.ToProcessorOptions().SendGroup.EffectiveMaxInFlight);
        Assert.Equal("127.0.0.1:30911", config.Broker.AnnouncedAddress);
        Assert.Equal("n0", config.Consensus.SelfId);
        Assert.Empty(file.UnreadEntries());
    }

    [Theory]
    [InlineData("listenPort", "abc")]
    [InlineData("listenPort", "70000")]
    [InlineData("brokerIP1", "::1")]
    [InlineData("namesrvAddr", "localhost")]
    [InlineData("enableDLegerCommitLog", "false")]
    [InlineData("maxMessageSize", "12")]
    [InlineData("autoCreateTopicEnable", "yes")]
    [InlineData("sendMaxInFlightRequests", "0")]
    public void Config_errors_name_the_key_the_value_and_the_file(string key, string value)
    {
        var file = PropertiesFile.Parse(SampleConf + $"\n{key}={value}", "/etc/raftmq/broker-n0.conf");
        var error = Assert.Throws<ConfigException>(() => BrokerOptions.FromProperties(file));

        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message);
        Assert.Contains(value, error.Message);
        Assert.Contains("/etc/raftmq/broker-n0.conf", error.Message);
    }

    [Fact]
    public void A_missing_broker_name_is_reported_as_required()
    {
        var file = PropertiesFile.Parse("listenPort=1", "b.conf");
        var error = Assert.Throws<ConfigException>(() => BrokerOptions.FromProperties(file));

        Assert.Equal("brokerName", error.Key);
        Assert.Contains("required", error.Message);
    }

    [Fact]
    public void Unknown_keys_stay_unread_so_they_are_warned_about()
    {
        var file = PropertiesFile.Parse(SampleConf + "\nbrokerIP1=127.0.0.1\nsendMesageThreadPoolNums=3", "b.conf");
        BrokerNodeConfiguration.FromFile(file);

        Assert.Equal(["sendMesageThreadPoolNums"], file.UnreadEntries().Select(entry => entry.Key));
    }

    [Theory]
    [InlineData("n0", 1)]
    [InlineData("n2", 3)]
    [InlineData("node12", 13)]
    public void Follower_broker_id_is_the_self_id_suffix_plus_one(string selfId, long expected)
    {
        var file = PropertiesFile.Parse(
            $"dLegerGroup=g\ndLegerPeers=n0-127.0.0.1:1;n2-127.0.0.1:2;node12-127.0.0.1:3\ndLegerSelfId={selfId}", "b.conf");

        Assert.Equal(expected, BrokerNode.FollowerBrokerId(ConsensusOptions.FromProperties(file)));
    }

    [Fact]
    public async Task Broker_node_whose_log_is_corrupt_at_open_starts_nothing_serves_nothing_and_registers_nowhere()
    {
        var log = new FakeReplicatedLog();
        bool storeStarted = false, logStarted = false, registrarCreated = false;
        var file = PropertiesFile.Parse(SampleConf.Replace("listenPort=30911", "listenPort=0") + "\nbrokerIP1=127.0.0.1", "broker-n0.conf");
        var wiring = new BrokerNodeWiring
        {
            CreateStorage = (_, _) => (new StoreBinding(new FakeMessageStore(),
                _ => { storeStarted = true; return Task.CompletedTask; }, _ => Task.CompletedTask),
                new ReplicatedLogBinding(log, _ => { logStarted = true; return Task.CompletedTask; },
                    _ => { log.Stopped = true; return Task.CompletedTask; }, CorruptionAtOpen: "BodyCrc at data/0 offset 52 (pos 52, expected entry index 3)")),
            CreateRegistrar = (_, describe, _) => { registrarCreated = true; return new FakeRegistrar(describe); },
        };
        var node = new BrokerNode(BrokerNodeConfiguration.FromFile(file), wiring, NullLoggerFactory.Instance);

        var error = await Assert.ThrowsAsync<CorruptLogException>(() => node.StartAsync());

        Assert.Contains("BodyCrc at data/0 offset 52", error.Message);
        Assert.Contains("docs/operations/corrupt-log.md", error.Message);
        Assert.False(storeStarted, "the store rewrote its derived files");
        Assert.False(logStarted);
        Assert.False(registrarCreated, "the node registered with the name server");
        Assert.True(log.Stopped, "the opened log was closed");
    }

    [Fact]
    public async Task Broker_node_serves_clients_and_re_registers_on_every_role_change()
    {
        var store = new FakeMessageStore();
        store.AddTopic("T");
        var log = new FakeReplicatedLog();
        FakeRegistrar? registrar = null;
        var file = PropertiesFile.Parse(SampleConf.Replace("listenPort=30911", "listenPort=0") + "\nbrokerIP1=127.0.0.1", "broker-n0.conf");
        var wiring = new BrokerNodeWiring
        {
            CreateStorage = (_, _) => (new StoreBinding(store, _ => Task.CompletedTask, _ => Task.CompletedTask),
                new ReplicatedLogBinding(log, _ => { log.Started = true; return Task.CompletedTask; },
                    _ => { log.Stopped = true; return Task.CompletedTask; })),
            CreateRegistrar = (_, describe, _) => registrar = new FakeRegistrar(describe),
        };
        var node = new BrokerNode(BrokerNodeConfiguration.FromFile(file), wiring, NullLoggerFactory.Instance);
        await node.StartAsync();
        await using var client = new RemotingClient();
        var address = $"127.0.0.1:{node.ListenEndPoint.Port}";

        var sent = await client.InvokeAsync(address, SendV2("T", [1]), Deadline);
        Assert.Equal(ResponseCode.Success, sent.Code);
        Assert.True(log.Started);
        Assert.NotNull(registrar);
        Assert.True(registrar.Started);
        Assert.Equal(0, registrar.Sent[0].BrokerId);

        int before = registrar.Registrations;
        store.RaiseRoleChanged(false);
        log.RaiseStateChanged(new SoftState(RaftRole.Follower, 2, "n1"));
        await WaitUntilAsync(() => registrar.Registrations >= before + 2, "re-registration after the role change");
        lock (registrar.Sent) Assert.Equal(1, registrar.Sent[^1].BrokerId);

        await node.StopAsync();
        Assert.True(registrar.Stopped);
        Assert.True(log.Stopped);
        await Assert.ThrowsAnyAsync<RemotingException>(() => client.InvokeAsync(address, SendV2("T", [1]), TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Broker_node_halted_completes_with_the_reason_when_its_raft_log_halts()
    {
        var log = new FakeReplicatedLog();
        var halted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var file = PropertiesFile.Parse(SampleConf.Replace("listenPort=30911", "listenPort=0") + "\nbrokerIP1=127.0.0.1", "broker-n0.conf");
        var wiring = new BrokerNodeWiring
        {
            CreateStorage = (_, _) => (new StoreBinding(new FakeMessageStore(), _ => Task.CompletedTask, _ => Task.CompletedTask),
                new ReplicatedLogBinding(log, _ => Task.CompletedTask, _ => Task.CompletedTask, Halted: halted.Task)),
            CreateRegistrar = (_, describe, _) => new FakeRegistrar(describe),
        };
        await using var node = new BrokerNode(BrokerNodeConfiguration.FromFile(file), wiring, NullLoggerFactory.Instance);
        await node.StartAsync();
        Assert.False(node.Halted.IsCompleted);

        halted.SetResult("disk full at data/3");

        Assert.Equal("the Raft node halted: disk full at data/3", await node.Halted.WaitAsync(Deadline));
    }

    [Theory]
    [InlineData("accessKey=ak", "secretKey")]
    [InlineData("secretKey=sk", "accessKey")]
    [InlineData("registerBrokerTimeoutMills=5", "registerBrokerTimeoutMills")]
    [InlineData("forwardTimeoutMs=1", "forwardTimeoutMs")]
    public void Every_key_is_validated_when_the_configuration_is_loaded(string line, string key)
    {
        var file = PropertiesFile.Parse(SampleConf + "\nbrokerIP1=127.0.0.1\n" + line, "/etc/raftmq/broker-n0.conf");

        var error = Assert.Throws<ConfigException>(() => BrokerNodeConfiguration.FromFile(file));

        Assert.Equal(key, error.Key);
        Assert.Contains("/etc/raftmq/broker-n0.conf", error.Message);
    }

    [Fact]
    public void A_broker_without_a_name_server_is_refused_when_the_configuration_is_loaded()
    {
        var file = PropertiesFile.Parse(SampleConf.Replace("namesrvAddr=127.0.0.1:9876\n", "") + "\nbrokerIP1=127.0.0.1", "broker-n0.conf");

        var error = Assert.Throws<ConfigException>(() => BrokerNodeConfiguration.FromFile(file));

        Assert.Equal("namesrvAddr", error.Key);
    }
}
