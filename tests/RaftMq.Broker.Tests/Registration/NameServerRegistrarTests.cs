using RaftMq.Broker.Hosting;
using RaftMq.Broker.Registration;
using RaftMq.Broker.Store;
using RaftMq.Foundation.Checksums;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;
using static RaftMq.Broker.Tests.Registration.FakeNameServer;

namespace RaftMq.Broker.Tests.Registration;

public sealed class NameServerRegistrarTests
{
    private const string BrokerAddress = "127.0.0.1:30911";
    private static readonly TimeSpan LongPeriod = TimeSpan.FromMinutes(10);

    private long _brokerId = 1;
    private IReadOnlyCollection<TopicConfig> _topics = [new TopicConfig("TopicA", 4, 4), new TopicConfig("TopicB", 8, 2, PermName.Read, order: true)];

    private BrokerRegistration Snapshot() => new("RaftCluster", "RaftNode00", Volatile.Read(ref _brokerId), BrokerAddress, _topics);

    private NameServerRegistrar Registrar(params string[] nameServers) => Registrar(TimeSpan.FromSeconds(30), nameServers);

    private NameServerRegistrar Registrar(TimeSpan requestTimeout, params string[] nameServers) => new(
        new NameServerRegistrarOptions { NameServerAddresses = nameServers, RegisterPeriod = LongPeriod, RequestTimeout = requestTimeout },
        Snapshot);

    [Fact]
    public async Task Registers_with_every_name_server_at_start_with_identity_and_topics()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        await using var registrar = Registrar(first.Address, second.Address);

        await registrar.StartAsync(CancellationToken.None);

        await WaitUntilAsync(() => first.RegistrationCount == 1 && second.RegistrationCount == 1, "both name servers saw a registration");
        Assert.True(first.Registrations.TryPeek(out var header));
        Assert.Equal(("RaftCluster", "RaftNode00", 1L, BrokerAddress, BrokerAddress, false),
            (header.ClusterName, header.BrokerName, header.BrokerId, header.BrokerAddr, header.HaServerAddr, header.Compressed));
        Assert.True(first.RegistrationBodies.TryPeek(out var body));
        var table = body.TopicConfigSerializeWrapper.TopicConfigTable;
        Assert.Equal(["TopicA", "TopicB"], table.Keys.Order());
        var topicB = table["TopicB"];
        Assert.Equal(("TopicB", 8, 2, 4, true, 0, "SINGLE_TAG"),
            (topicB.Name, topicB.ReadQueueNums, topicB.WriteQueueNums, topicB.Perm, topicB.Order, topicB.TopicSysFlag, topicB.TopicFilterType));
        Assert.NotEqual(0, header.BodyCrc32);
    }

    [Fact]
    public async Task Registration_body_carries_a_crc_the_name_server_can_check()
    {
        await using var nameServer = await StartAsync();
        await using var registrar = Registrar(nameServer.Address);
        await registrar.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => nameServer.RegistrationCount == 1, "a registration arrived");

        Assert.True(nameServer.Registrations.TryPeek(out var header));
        Assert.True(nameServer.RegistrationBodies.TryPeek(out var body));
        byte[] reencoded = Protocol.Bodies.ProtocolJson.Encode(body);
        Assert.Equal(Crc32Ieee.BodyCrc(reencoded), header.BodyCrc32);
    }

    [Fact]
    public async Task Role_change_re_registers_at_once_with_the_new_broker_id()
    {
        await using var nameServer = await StartAsync();
        await using var registrar = Registrar(nameServer.Address);
        await registrar.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => nameServer.RegistrationCount == 1, "the first registration arrived");

        Volatile.Write(ref _brokerId, BrokerIds.Master);
        await registrar.RegisterNowAsync();

        Assert.Equal([1L, 0L], nameServer.Registrations.Select(r => r.BrokerId));
    }

    [Fact]
    public async Task A_dead_name_server_does_not_prevent_registration_with_the_others()
    {
        await using var alive = await StartAsync();
        await using var registrar = Registrar(DeadAddress(), alive.Address);
        await registrar.StartAsync(CancellationToken.None);

        await registrar.RegisterNowAsync().WaitAsync(Deadline);

        Assert.True(alive.RegistrationCount >= 1);
    }

    [Fact]
    public async Task A_hung_name_server_does_not_hold_back_registrations_with_the_others()
    {
        await using var hung = await StartAsync(holdAnswers: true);
        await using var alive = await StartAsync();
        await using var registrar = Registrar(TimeSpan.FromMinutes(5), hung.Address, alive.Address);
        await registrar.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => hung.RegistrationCount == 1 && alive.RegistrationCount == 1, "both saw the first registration");

        Volatile.Write(ref _brokerId, BrokerIds.Master);
        _ = registrar.RegisterNowAsync();

        await WaitUntilAsync(() => alive.Registrations.Any(r => r.BrokerId == BrokerIds.Master), "the healthy name server saw id 0");
        Assert.Equal(1, hung.RegistrationCount);
    }

    [Fact]
    public async Task Demands_made_while_a_registration_is_in_flight_coalesce_into_one_more()
    {
        await using var nameServer = await StartAsync(holdAnswers: true);
        await using var registrar = Registrar(nameServer.Address);
        await registrar.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => nameServer.RegistrationCount == 1, "the first registration is in flight");

        var demands = Enumerable.Range(0, 10).Select(_ => registrar.RegisterNowAsync()).ToArray();
        Assert.All(demands, demand => Assert.False(demand.IsCompleted));
        nameServer.ReleaseAnswers();
        await Task.WhenAll(demands).WaitAsync(Deadline);

        Assert.Equal(2, nameServer.RegistrationCount);
    }

    [Fact]
    public async Task Data_version_moves_only_when_the_topic_table_changes()
    {
        await using var nameServer = await StartAsync();
        await using var registrar = Registrar(nameServer.Address);
        await registrar.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => nameServer.RegistrationCount == 1, "the first registration arrived");

        await registrar.RegisterNowAsync();
        _topics = [.. _topics, new TopicConfig("TopicC", 4, 4)];
        await registrar.RegisterNowAsync();

        var versions = nameServer.RegistrationBodies.Select(b => b.TopicConfigSerializeWrapper.DataVersion).ToArray();
        Assert.Equal(3, versions.Length);
        Assert.Equal(versions[0], versions[1]);
        Assert.Equal(versions[0].Counter + 1, versions[2].Counter);
        Assert.Contains("TopicC", nameServer.RegistrationBodies.Last().TopicConfigSerializeWrapper.TopicConfigTable.Keys);
    }

    [Fact]
    public async Task Stop_unregisters_from_every_name_server_with_the_last_identity()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        var registrar = Registrar(first.Address, second.Address);
        await registrar.StartAsync(CancellationToken.None);
        Volatile.Write(ref _brokerId, BrokerIds.Master);
        await registrar.RegisterNowAsync();

        await registrar.StopAsync(CancellationToken.None);

        foreach (var nameServer in new[] { first, second })
        {
            var unregistration = Assert.Single(nameServer.Unregistrations);
            Assert.Equal(("RaftNode00", BrokerAddress, 0L), (unregistration.BrokerName, unregistration.BrokerAddr, unregistration.BrokerId));
        }
    }

    [Fact]
    public async Task Stop_completes_when_a_name_server_is_down()
    {
        await using var alive = await StartAsync();
        var registrar = Registrar(DeadAddress(), alive.Address);
        await registrar.StartAsync(CancellationToken.None);
        await registrar.RegisterNowAsync();

        await registrar.StopAsync(CancellationToken.None).WaitAsync(Deadline);

        Assert.Single(alive.Unregistrations);
    }

    [Fact]
    public async Task Nothing_is_sent_after_stop()
    {
        await using var nameServer = await StartAsync();
        var registrar = Registrar(nameServer.Address);
        await registrar.StartAsync(CancellationToken.None);
        await registrar.RegisterNowAsync();
        await registrar.StopAsync(CancellationToken.None);
        int before = nameServer.RegistrationCount;

        await registrar.RegisterNowAsync();

        Assert.Equal(before, nameServer.RegistrationCount);
    }

    [Fact]
    public async Task A_failing_snapshot_skips_one_round_and_the_next_demand_registers()
    {
        await using var nameServer = await StartAsync();
        int calls = 0;
        await using var registrar = new NameServerRegistrar(
            new NameServerRegistrarOptions { NameServerAddresses = [nameServer.Address], RegisterPeriod = LongPeriod },
            () => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("store not open yet") : Snapshot());
        await registrar.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => Volatile.Read(ref calls) >= 1, "the first round asked for a snapshot");

        await registrar.RegisterNowAsync();

        Assert.Equal(1, nameServer.RegistrationCount);
    }
}
