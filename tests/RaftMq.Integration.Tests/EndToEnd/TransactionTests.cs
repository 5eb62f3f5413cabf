using System.Collections.Concurrent;
using System.Text;
using RaftMq.Cli.LocalCluster;
using RaftMq.Client;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Messages;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>Transactional messages on a real group (checks every 2 s, discarded after 3: see <see cref="E2ECluster.TransactionKeys"/>).</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class TransactionTests(E2ECluster cluster)
{
    [Fact]
    public async Task Committed_messages_are_delivered_once_and_rolled_back_ones_never()
    {
        const string topic = "E2ETxCommit";
        await cluster.CreateTopicAsync(topic, 2);
        var listener = new ScriptedListener(execute: body => body.StartsWith("commit", StringComparison.Ordinal)
            ? LocalTransactionState.CommitMessage
            : LocalTransactionState.RollbackMessage);
        await using var producer = await StartTransactionProducerAsync("e2e-tx-commit", listener);
        for (int i = 0; i < 10; i++)
        {
            var result = await SendInTransactionAsync(producer, topic, i % 2 == 0 ? $"commit-{i}" : $"rollback-{i}");
            Assert.Equal(SendStatus.SendOk, result.SendResult.Status);
            Assert.Null(result.EndTransactionError);
        }

        var deliveries = new ConcurrentDictionary<string, int>();
        await using var consumer = CreateConsumer(cluster, "e2e-tx-commit-consumer", "e2e-tx-commit-consumer");
        consumer.Subscribe(topic);
        await consumer.StartAsync(Recorder(deliveries));
        Assert.True(await EventuallyAsync(() => deliveries.Count(d => d.Key.StartsWith("commit", StringComparison.Ordinal)) == 5),
            $"expected the 5 committed messages, got {string.Join(", ", deliveries.Keys)}");
        // Past the first check time as well: nothing rolled back comes, nothing committed comes twice.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.All(deliveries, d => Assert.StartsWith("commit", d.Key, StringComparison.Ordinal));
        Assert.All(deliveries, d => Assert.Equal(1, d.Value));
        Assert.Equal(5, await E2EStored.CountAsync(cluster, topic));
    }

    [Fact]
    public async Task Unknown_outcomes_are_resolved_by_checking_the_producer_group()
    {
        const string topic = "E2ETxCheck";
        await cluster.CreateTopicAsync(topic, 2);
        var listener = new ScriptedListener(execute: _ => LocalTransactionState.Unknown,
            check: body => body.StartsWith("commit", StringComparison.Ordinal) ? LocalTransactionState.CommitMessage : LocalTransactionState.RollbackMessage);
        await using var producer = await StartTransactionProducerAsync("e2e-tx-check", listener);
        for (int i = 0; i < 6; i++)
        {
            var result = await SendInTransactionAsync(producer, topic, i % 2 == 0 ? $"commit-{i}" : $"rollback-{i}");
            Assert.Equal(LocalTransactionState.Unknown, result.LocalTransactionState);
        }

        Assert.True(await EventuallyAsync(() => listener.Checked.Count >= 6), $"checks received: {string.Join(", ", listener.Checked)}");
        await E2EStored.WaitForAsync(cluster, topic, 3);
        // Answered checks end the transactions: no further check and nothing more stored.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(3, await E2EStored.CountAsync(cluster, topic));
        Assert.All(listener.Checked.GroupBy(body => body), group => Assert.Single(group)); // an answered check ends it
    }

    [Fact]
    public async Task A_half_message_checked_transactionCheckMax_times_is_discarded_and_never_delivered()
    {
        const string topic = "E2ETxDiscard";
        await cluster.CreateTopicAsync(topic, 1);
        var listener = new ScriptedListener(execute: _ => LocalTransactionState.Unknown, check: _ => LocalTransactionState.Unknown);
        await using var producer = await StartTransactionProducerAsync("e2e-tx-discard", listener);
        long discardedBefore = await E2EStored.CountOrZeroAsync(cluster, SystemNames.TransactionCheckMaxTimeTopic);
        await SendInTransactionAsync(producer, topic, "undecided");

        await E2EStored.WaitForAsync(cluster, SystemNames.TransactionCheckMaxTimeTopic, discardedBefore + 1, atLeast: true);
        Assert.Equal(3, listener.Checked.Count(body => body == "undecided"));
        Assert.Equal(0, await E2EStored.CountAsync(cluster, topic));
    }

    [Fact]
    public async Task A_leader_killed_between_prepare_and_end_loses_nothing_the_transaction_commits_once()
    {
        const string topic = "E2ETxKillBeforeEnd";
        await cluster.CreateTopicAsync(topic, 1);
        BrokerNodeLayout? killed = null;
        var listener = new ScriptedListener(execute: _ =>
        {
            killed = cluster.KillLeaderAsync().GetAwaiter().GetResult(); // the half message is stored, the END not yet sent
            return LocalTransactionState.CommitMessage;
        }, check: _ => LocalTransactionState.CommitMessage);
        await using var producer = await StartTransactionProducerAsync("e2e-tx-kill-before-end", listener);
        try
        {
            await SendInTransactionAsync(producer, topic, "kill-before-end");
            await cluster.WaitForLeaderAsync(excluding: killed);
            await E2EStored.WaitForAsync(cluster, topic, 1); // by the retried END on the new leader, or by its check
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.Equal(1, await E2EStored.CountAsync(cluster, topic));
        }
        finally
        {
            if (killed is not null) await cluster.RestartAsync(killed);
        }
    }

    [Fact]
    public async Task A_leader_killed_between_an_unknown_end_and_the_check_leaves_the_check_to_the_new_leader()
    {
        const string topic = "E2ETxKillBeforeCheck";
        await cluster.CreateTopicAsync(topic, 1);
        var listener = new ScriptedListener(execute: _ => LocalTransactionState.Unknown, check: _ => LocalTransactionState.CommitMessage);
        await using var producer = await StartTransactionProducerAsync("e2e-tx-kill-before-check", listener);
        await SendInTransactionAsync(producer, topic, "kill-before-check");
        var killed = await cluster.KillLeaderAsync();
        try
        {
            await cluster.WaitForLeaderAsync(excluding: killed);
            await E2EStored.WaitForAsync(cluster, topic, 1);
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.Equal(1, await E2EStored.CountAsync(cluster, topic));
            Assert.Contains("kill-before-check", listener.Checked);
        }
        finally
        {
            await cluster.RestartAsync(killed);
        }
    }

    [Fact]
    public async Task A_producer_that_stopped_before_ending_is_answered_for_by_a_new_producer_of_its_group()
    {
        const string topic = "E2ETxProducerRestart";
        await cluster.CreateTopicAsync(topic, 1);
        const string group = "e2e-tx-restart";
        var first = new ScriptedListener(execute: _ => LocalTransactionState.Unknown);
        await using (var crashed = await StartTransactionProducerAsync(group, first, instance: "e2e-tx-restart-a"))
        {
            await SendInTransactionAsync(crashed, topic, "left-open");
        }
        var second = new ScriptedListener(execute: _ => LocalTransactionState.Unknown, check: _ => LocalTransactionState.CommitMessage);
        await using var restarted = await StartTransactionProducerAsync(group, second, instance: "e2e-tx-restart-b");

        await E2EStored.WaitForAsync(cluster, topic, 1);
        Assert.Contains("left-open", second.Checked);
        Assert.Empty(first.Checked);
    }

    private async Task<TransactionProducer> StartTransactionProducerAsync(string group, ScriptedListener listener, string? instance = null)
    {
        var producer = new TransactionProducer(new ProducerOptions
        {
            NameServerAddresses = [cluster.NameServer], ProducerGroup = group, InstanceName = instance ?? group,
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            RouteRefreshInterval = TimeSpan.FromSeconds(2), // finds a new leader soon after a kill, to heartbeat to it
        }, listener);
        await producer.StartAsync();
        return producer;
    }

    /// <summary>Sends until the half message is stored: an unknown outcome on a loaded machine is tried again (a half
    /// message stored by the failed attempt is checked with the same body and resolved or discarded).</summary>
    private static async Task<TransactionSendResult> SendInTransactionAsync(TransactionProducer producer, string topic, string body)
    {
        using var deadline = new CancellationTokenSource(E2ECluster.Deadline);
        while (true)
        {
            try
            {
                return await producer.SendMessageInTransactionAsync(new Message(topic, Encoding.UTF8.GetBytes(body)), null, deadline.Token);
            }
            catch (MQException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(200, deadline.Token);
            }
        }
    }

    /// <summary>A listener deciding by message body, recording the bodies it was asked to check.</summary>
    private sealed class ScriptedListener(Func<string, LocalTransactionState> execute, Func<string, LocalTransactionState>? check = null)
        : ITransactionListener
    {
        public ConcurrentQueue<string> Checked { get; } = new();

        public LocalTransactionState ExecuteLocalTransaction(Message message, object? argument) => execute(Encoding.UTF8.GetString(message.Body));

        public LocalTransactionState CheckLocalTransaction(MessageExt message)
        {
            string body = Encoding.UTF8.GetString(message.Body);
            Checked.Enqueue(body);
            return check?.Invoke(body) ?? LocalTransactionState.Unknown;
        }
    }
}
