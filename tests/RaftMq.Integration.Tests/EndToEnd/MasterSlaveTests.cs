using System.Text;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>A classic SYNC_MASTER and its SLAVE (RocketMQ's 2m-2s-sync, one group) as real processes: the slave joins
/// by itself, serves reads, and the master answers FLUSH_SLAVE_TIMEOUT / SLAVE_NOT_AVAILABLE as the slave freezes or dies.</summary>
public sealed class MasterSlaveTests(MasterSlaveCluster cluster) : IClassFixture<MasterSlaveCluster>
{
    private const string Topic = "ClassicTopic";
    private const string Group = "ClassicReaders";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_sync_master_acknowledges_once_its_slave_has_a_message_the_slave_serves_it_and_a_frozen_or_dead_slave_shows_in_the_status()
    {
        await using var producer = new MQProducer(new ProducerOptions
        {
            NameServerAddresses = [cluster.NameServer], ProducerGroup = "classic-producer", InstanceName = "classic-producer",
        });
        await producer.StartAsync();
        await using var client = new RemotingClient();
        await CreateTopicAsync();
        var queue = new MessageQueue { Topic = Topic, BrokerName = MasterSlaveCluster.Group, QueueId = 0 };

        // The slave joins by itself; until it holds the log the master answers SLAVE_NOT_AVAILABLE (the message stored).
        var first = await Poll.UntilAsync(async token =>
        {
            var result = await producer.SendAsync(new Message(Topic, "first"u8.ToArray()), queue, token);
            return result.Status == SendStatus.SendOk ? result : null;
        }, E2ECluster.Deadline, PollInterval, "a SEND_OK from the SYNC_MASTER (its slave joined)", CancellationToken.None);

        // Reads: with slaveReadEnable the master sends the group to its brokerId (1), and the slave serves the message.
        await cluster.Admin.CreateOrUpdateSubscriptionGroupAsync(cluster.MasterAddress, new SubscriptionGroupConfig { GroupName = Group, BrokerId = 1 });
        var fromMaster = await client.InvokeAsync(cluster.MasterAddress, Pull(first.QueueOffset), E2ECluster.Deadline);
        Assert.Equal(ResponseCode.Success, fromMaster.Code);
        Assert.Equal(1, PullMessageResponseHeader.FromExtFields(fromMaster.ExtFields).SuggestWhichBrokerId);
        var fromSlave = await Poll.UntilAsync(async token =>
        {
            // The slave applies the message, then the group setting (the order of the master's log).
            var response = await client.InvokeAsync(cluster.SlaveAddress, Pull(first.QueueOffset), E2ECluster.Deadline, token);
            bool served = response.Code == ResponseCode.Success && PullMessageResponseHeader.FromExtFields(response.ExtFields).SuggestWhichBrokerId == 1;
            return served ? response : null;
        }, E2ECluster.Deadline, PollInterval, "the slave to serve the message and keep the group there", CancellationToken.None);
        Assert.Equal(["first"], Bodies(fromSlave));

        // A frozen slave keeps its connection: the master waits syncFlushTimeout and answers FLUSH_SLAVE_TIMEOUT.
        await cluster.SignalAsync(MasterSlaveCluster.SlaveIndex, "STOP");
        var frozen = await producer.SendAsync(new Message(Topic, "while-frozen"u8.ToArray()), queue);
        Assert.Equal(SendStatus.FlushSlaveTimeout, frozen.Status);
        await cluster.SignalAsync(MasterSlaveCluster.SlaveIndex, "CONT");
        await Poll.UntilTrueAsync(async token =>
            (await producer.SendAsync(new Message(Topic, "after-thaw"u8.ToArray()), queue, token)).Status == SendStatus.SendOk,
            E2ECluster.Deadline, PollInterval, "a SEND_OK once the slave runs again", CancellationToken.None);

        // A dead slave: once the master sees its connection gone, SLAVE_NOT_AVAILABLE at once; never a SEND_OK.
        await cluster.Processes.KillBrokerAsync(MasterSlaveCluster.SlaveIndex);
        var statuses = new List<SendStatus>();
        await Poll.UntilTrueAsync(async token =>
        {
            var status = (await producer.SendAsync(new Message(Topic, "slave-dead"u8.ToArray()), queue, token)).Status;
            statuses.Add(status);
            return status == SendStatus.SlaveNotAvailable;
        }, E2ECluster.Deadline, PollInterval, "SLAVE_NOT_AVAILABLE after the slave died", CancellationToken.None);
        Assert.All(statuses, status => Assert.Contains(status, new[] { SendStatus.SlaveNotAvailable, SendStatus.FlushSlaveTimeout }));

        // Every answered send is stored on the master (RocketMQ's statuses 11 and 12 report a stored message).
        var last = await client.InvokeAsync(cluster.MasterAddress, Pull(first.QueueOffset, maxMessages: 1000), E2ECluster.Deadline);
        Assert.Contains("while-frozen", Bodies(last));
        Assert.Contains("slave-dead", Bodies(last));
    }

    private async Task CreateTopicAsync() =>
        await Poll.UntilTrueAsync(async token =>
        {
            try
            {
                await cluster.Admin.CreateOrUpdateTopicAsync(MasterSlaveCluster.Cluster,
                    new TopicSettings { Topic = Topic, ReadQueueNums = 1, WriteQueueNums = 1 }, token);
                return true;
            }
            catch (MQException)
            {
                return false; // the master has not registered or elected itself yet
            }
        }, E2ECluster.Deadline, PollInterval, $"topic {Topic} to be created", CancellationToken.None);

    private static List<string> Bodies(RemotingCommand pulled)
    {
        var bodies = new List<string>();
        foreach (var message in StoredMessageView.ReadAll(pulled.Body.Span)) bodies.Add(Encoding.UTF8.GetString(message.Body));
        return bodies;
    }

    private static RemotingCommand Pull(long offset, int maxMessages = 32)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.PullMessage);
        new PullMessageRequestHeader
        {
            ConsumerGroup = Group,
            Topic = Topic,
            QueueId = 0,
            QueueOffset = offset,
            MaxMsgNums = maxMessages,
            SysFlag = PullSysFlag.Subscription,
            CommitOffset = -1,
            SuspendTimeoutMillis = 0,
            Subscription = "*",
            SubVersion = 1,
        }.ToExtFields(request.ExtFields);
        return request;
    }
}
