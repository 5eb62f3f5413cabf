using System.Text;
using RaftMq.Cli.LocalCluster;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>The on-disk key index answers QUERY_MESSAGE the same on a new leader and on a killed leader after its restart
/// (each node derives it from the log).</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class KeyIndexFailoverTests(E2ECluster cluster)
{
    private const string Topic = "E2EKeyIndex";
    private const int Messages = 12;

    [Fact]
    public async Task Keys_get_the_same_answers_from_a_new_leader_and_from_the_killed_leader_after_its_restart()
    {
        await cluster.CreateTopicAsync(Topic, queues: 2);
        await using var producer = await StartProducerAsync(cluster, "e2e-keyindex-producer");
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var all = new List<string>();
        for (int i = 0; i < Messages; i++)
        {
            var message = new Message(Topic, Encoding.UTF8.GetBytes($"keyed-{i}")) { Keys = $"order-{i} customer-shared" };
            var result = await producer.SendAsync(message);
            expected[$"order-{i}"] = result.MsgId;
            all.Add(result.MsgId);
        }
        all.Sort(StringComparer.Ordinal);
        expected["customer-shared"] = string.Join(",", all);

        await WaitForAnswersAsync(expected, "on the first leader");
        var killed = await cluster.KillLeaderAsync();
        await cluster.WaitForLeaderAsync(excluding: killed);
        await WaitForAnswersAsync(expected, "on the new leader");

        await cluster.RestartAsync(killed);
        await Poll.UntilTrueAsync(async token =>
        {
            var leader = await ClusterLeader.FindAsync(cluster.Admin, cluster.Layout, token);
            if (leader == killed) return true;
            if (leader is not null) await cluster.Admin.TransferLeadershipAsync(cluster.Layout.BrokerName, killed.SelfId, token);
            return false;
        }, E2ECluster.Deadline, TimeSpan.FromMilliseconds(500), $"{killed.SelfId} to lead again", CancellationToken.None);
        await WaitForAnswersAsync(expected, "on the restarted node");
    }

    /// <summary>Routes settle after a leader change, so the answers are awaited; the last ones are reported if they never match.</summary>
    private async Task WaitForAnswersAsync(SortedDictionary<string, string> expected, string where)
    {
        var last = new SortedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            await Poll.UntilTrueAsync(async token =>
            {
                last = await AnswersAsync(expected.Keys, token);
                return last.SequenceEqual(expected);
            }, E2ECluster.Deadline, TimeSpan.FromMilliseconds(250), $"key answers {where}", CancellationToken.None);
        }
        catch (DeadlineExceededException)
        {
            Assert.Equal(expected, last);
        }
    }

    private async Task<SortedDictionary<string, string>> AnswersAsync(IEnumerable<string> keys, CancellationToken token)
    {
        var answers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in keys)
        {
            try
            {
                var found = await cluster.Admin.QueryMessagesByKeyAsync(Topic, key, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, 32, cancellationToken: token);
                answers[key] = string.Join(",", found.Select(message => message.MsgId).Order(StringComparer.Ordinal));
            }
            catch (Exception exception) when (exception is MQException or RaftMq.Protocol.Remoting.RemotingException)
            {
                answers[key] = "error: " + exception.Message; // a master that is gone, until the route names the new one
            }
        }
        return answers;
    }
}
