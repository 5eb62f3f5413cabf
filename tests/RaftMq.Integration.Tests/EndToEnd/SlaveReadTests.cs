using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>
/// docs/operations/master-slave.md, "Reads from slaves", with real processes and the .NET client: a SYNC_MASTER and its
/// SLAVE with slaveReadEnable and accessMessageInMemoryMaxRatio=0 (every consumer behind the end of its queue counts
/// as lagging), so a consumer that starts behind is sent to the group's whichBrokerWhenConsumeSlowly (1, the slave).
/// </summary>
public sealed class SlaveReadTests(SlaveReadTests.Cluster cluster) : IClassFixture<SlaveReadTests.Cluster>
{
    private const string Topic = "SlowTopic";
    private const string Group = "SlowReaders";
    private const int Messages = 200;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>A master/slave pair of its own: the shared one's test kills its slave.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        public MasterSlaveCluster Group { get; } = new(["accessMessageInMemoryMaxRatio=0"]);

        public Task InitializeAsync() => Group.InitializeAsync();

        public Task DisposeAsync() => Group.DisposeAsync();
    }

    [Fact]
    public async Task A_lagging_consumer_is_served_by_the_slave_and_commits_its_offsets_to_the_master()
    {
        var group = cluster.Group;
        await Poll.UntilTrueAsync(async token =>
        {
            try
            {
                await group.Admin.CreateOrUpdateTopicAsync(MasterSlaveCluster.Cluster, new TopicSettings { Topic = Topic, ReadQueueNums = 1, WriteQueueNums = 1 }, token);
                return true;
            }
            catch (MQException)
            {
                return false; // the master has not registered yet
            }
        }, E2ECluster.Deadline, PollInterval, $"topic {Topic} to be created", CancellationToken.None);
        await using var producer = new MQProducer(new ProducerOptions
        {
            NameServerAddresses = [group.NameServer], ProducerGroup = "slow-producer", InstanceName = "slow-producer",
        });
        await producer.StartAsync();
        var queue = new MessageQueue { Topic = Topic, BrokerName = MasterSlaveCluster.Group, QueueId = 0 };
        // SEND_OK once the slave holds a message: it has joined; every send is stored either way.
        await Poll.UntilTrueAsync(async token =>
            (await producer.SendAsync(new Message(Topic, "m0"u8.ToArray()), queue, token)).Status == SendStatus.SendOk,
            E2ECluster.Deadline, PollInterval, "a SEND_OK (the slave joined)", CancellationToken.None);
        for (int i = 1; i < Messages; i++) await producer.SendAsync(new Message(Topic, Encoding.UTF8.GetBytes("m" + i.ToString(CultureInfo.InvariantCulture))), queue);
        long slavePulledBefore = await PulledAsync(group.SlaveAddress);

        var received = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        await using var consumer = new PushConsumer(new PushConsumerOptions
        {
            NameServerAddresses = [group.NameServer], ConsumerGroup = Group, InstanceName = "slow-consumer",
            ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset, PullBatchSize = 16,
        });
        consumer.Subscribe(Topic, "*");
        await consumer.StartAsync((messages, _, _) =>
        {
            foreach (var message in messages) received[Encoding.UTF8.GetString(message.Body)] = true;
            return ValueTask.FromResult(ConsumeResult.Success);
        });

        await Poll.UntilTrueAsync(_ => Task.FromResult(received.Count >= Messages), E2ECluster.Deadline, PollInterval,
            $"{Messages} distinct messages consumed", CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => "m" + i.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal),
            received.Keys.Order(StringComparer.Ordinal));
        Assert.True(await PulledAsync(group.SlaveAddress) - slavePulledBefore > 0, "the slave served some of the messages");
        string lastSeen = "nothing yet";
        var committed = Poll.UntilTrueAsync(async token =>
        {
            var progress = await group.Admin.GetConsumeStatsAsync(Group, Topic, token);
            lastSeen = string.Join("; ", progress.Select(p => $"{p.Queue.BrokerName}/{p.Queue.QueueId}: consumer {p.ConsumerOffset}, broker {p.BrokerOffset}"));
            // Every stored message: the sends before the slave joined may have stored m0 more than once.
            return progress.Any(p => p.ConsumerOffset >= Messages && p.ConsumerOffset == p.BrokerOffset);
        }, E2ECluster.Deadline, PollInterval, "the group's offset committed to the master (all stored messages consumed)", CancellationToken.None);
        try
        {
            await committed;
        }
        catch (DeadlineExceededException e)
        {
            throw new DeadlineExceededException($"{e.Message}; last seen: {lastSeen}");
        }
    }

    /// <summary>Messages a broker has served to pulls since it started (runtime info msgGetTotalSinceBoot).</summary>
    private async Task<long> PulledAsync(string address) =>
        long.Parse((await cluster.Group.Admin.GetBrokerRuntimeInfoAsync(address))["msgGetTotalSinceBoot"], CultureInfo.InvariantCulture);
}
