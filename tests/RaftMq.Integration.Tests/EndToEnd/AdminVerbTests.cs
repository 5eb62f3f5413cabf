using System.Text.Json;
using System.Text.RegularExpressions;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>The mqadmin-style verbs as processes against the shared cluster, output checked line by line.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class AdminVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TestDirectory _logs = new("admin-verb-logs");

    [Fact]
    public async Task TopicRoute_lists_the_queues_and_every_node_of_the_group()
    {
        await cluster.CreateTopicAsync("E2ERoute", 3);

        var text = await RunAsync("admin", "topicRoute", "-t", "E2ERoute");
        var json = await RunAsync("admin", "topicRoute", "-t", "E2ERoute", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Matches(new Regex(@"#Broker Name\s+#Read Queue\s+#Write Queue\s+#Perm"), text.Output);
        Assert.Matches(new Regex(@"E2EGroup\s+3\s+3\s+6"), text.Output);
        Assert.Equal(3, Regex.Matches(text.Output, @"E2ECluster\s+E2EGroup\s+\d+\s+127\.0\.0\.1:\d+").Count);
        Assert.Equal(0, json.ExitCode);
        using var route = JsonDocument.Parse(json.Output);
        var queue = Assert.Single(route.RootElement.GetProperty("queueDatas").EnumerateArray());
        Assert.Equal(3, queue.GetProperty("readQueueNums").GetInt32());
        Assert.Equal(3, route.RootElement.GetProperty("brokerDatas")[0].GetProperty("brokerAddrs").EnumerateObject().Count());
    }

    [Fact]
    public async Task TopicRoute_of_an_unknown_topic_fails_with_one_line_naming_it()
    {
        var result = await RunAsync("admin", "topicRoute", "-t", "E2ENoSuchTopic");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("E2ENoSuchTopic does not exist", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopicClusterList_prints_the_cluster_holding_the_topic()
    {
        await cluster.CreateTopicAsync("E2EClusters", 1);

        var text = await RunAsync("admin", "topicClusterList", "-t", "E2EClusters");
        var json = await RunAsync("admin", "topicClusterList", "-t", "E2EClusters", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Equal(["E2ECluster"], text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        using var clusters = JsonDocument.Parse(json.Output);
        Assert.Equal("E2ECluster", Assert.Single(clusters.RootElement.EnumerateArray()).GetString());
    }

    [Fact]
    public async Task DeleteTopic_removes_it_from_the_brokers_the_topic_list_and_the_routes()
    {
        await cluster.CreateTopicAsync("E2EDeleteMe", 2);
        Assert.Contains("E2EDeleteMe", (await RunAsync("admin", "topicList")).Output, StringComparison.Ordinal);

        var deleted = await RunAsync("admin", "deleteTopic", "-c", "E2ECluster", "-t", "E2EDeleteMe");

        Assert.Equal(0, deleted.ExitCode);
        Assert.Contains("delete topic [E2EDeleteMe] from cluster [E2ECluster] success.", deleted.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("E2EDeleteMe", (await RunAsync("admin", "topicList")).Output, StringComparison.Ordinal);
        var route = await RunAsync("admin", "topicRoute", "-t", "E2EDeleteMe");
        Assert.Equal(1, route.ExitCode);
        Assert.Contains("E2EDeleteMe does not exist", route.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerStatus_of_the_leader_shows_its_raft_role_indexes_and_follower_lag()
    {
        var leader = await cluster.WaitForLeaderAsync(excluding: null);

        var result = await RunAsync("admin", "brokerStatus", "-b", leader.Address);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(new Regex(@"(?m)^raftRole\s+: LEADER$"), result.Output);
        Assert.Matches(new Regex($@"(?m)^raftSelfId\s+: {leader.SelfId}$"), result.Output);
        Assert.Matches(new Regex(@"(?m)^raftCommitIndex\s+: \d+$"), result.Output);
        Assert.Matches(new Regex(@"(?m)^raftAppliedIndex\s+: \d+$"), result.Output);
        Assert.Matches(new Regex(@"(?m)^msgPutTotalSinceBoot\s+: \d+$"), result.Output);
        foreach (var follower in cluster.Layout.Brokers.Where(broker => broker != leader))
            Assert.Matches(new Regex($@"(?m)^raftFollower\.{follower.SelfId}\.matchLag\s+: \d+$"), result.Output);
    }

    [Fact]
    public async Task BrokerStatus_of_a_cluster_as_json_has_every_node_and_exactly_one_leader()
    {
        var result = await RunAsync("admin", "brokerStatus", "-c", "E2ECluster", "--json");

        Assert.Equal(0, result.ExitCode);
        using var nodes = JsonDocument.Parse(result.Output);
        var tables = nodes.RootElement.EnumerateObject().ToList();
        Assert.Equal(cluster.Layout.Brokers.Count, tables.Count);
        Assert.Single(tables, node => node.Value.GetProperty("raftRole").GetString() == "LEADER");
    }

    [Fact]
    public async Task BrokerStatus_without_a_target_is_a_usage_error()
    {
        var result = await RunAsync("admin", "brokerStatus");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("exactly one of -b ADDR", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RaftStatus_shows_every_member_one_leader_one_term_and_the_leaders_match_view()
    {
        var leader = await cluster.WaitForLeaderAsync(excluding: null);

        var text = await RunAsync("admin", "raftStatus", "-b", "E2EGroup");
        var json = await RunAsync("admin", "raftStatus", "-b", "E2EGroup", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Matches(new Regex(@"#Node\s+#Addr\s+#BID\s+#Member\s+#Role\s+#Term\s+#Leader\s+#Commit\s+#Applied\s+#Last\s+#Match\s+#Lag\s+#Contact\(ms\)"), text.Output);
        var rows = Regex.Matches(text.Output, @"(?m)^(n\d)\s+127\.0\.0\.1:\d+\s+\d+\s+voter\s+(LEADER|FOLLOWER)\s+(\d+)\s+(n\d)\s+\d+\s+\d+\s+\d+\s+(\d+)\s+(\d+)");
        Assert.Equal(3, rows.Count);
        Assert.Contains("configuration at index 0 (dLegerPeers, never changed): voters n0,n1,n2", text.Output, StringComparison.Ordinal);
        Assert.Equal(leader.SelfId, Assert.Single(rows, row => row.Groups[2].Value == "LEADER").Groups[1].Value);
        Assert.Single(rows.Select(row => row.Groups[3].Value).Distinct());
        Assert.All(rows, row => Assert.Equal(leader.SelfId, row.Groups[4].Value));
        using var statuses = JsonDocument.Parse(json.Output);
        Assert.Equal(3, statuses.RootElement.GetArrayLength());
        var leaderStatus = statuses.RootElement.EnumerateArray().Select(node => node.GetProperty("status")).Single(s => s.GetProperty("role").GetString() == "LEADER");
        Assert.Equal(3, leaderStatus.GetProperty("peers").GetArrayLength());
        Assert.All(leaderStatus.GetProperty("peers").EnumerateArray(), peer => Assert.True(peer.GetProperty("matchIndex").GetInt64() >= 0));
    }

    [Fact]
    public async Task TransferLeader_to_a_node_that_is_not_a_member_says_so()
    {
        await cluster.WaitForLeaderAsync(excluding: null);

        var result = await RunAsync("admin", "transferLeader", "-b", "E2EGroup", "-i", "n9");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("n9 is not a member of group E2EGroup (members: n0, n1, n2)", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("topicRoute", "--topic TOPIC")]
    [InlineData("topicClusterList", "--topic TOPIC")]
    [InlineData("deleteTopic", "--clusterName CLUSTER")]
    [InlineData("brokerStatus", "--brokerAddr ADDR")]
    [InlineData("raftStatus", "--brokerName GROUP")]
    [InlineData("updateSubGroup", "--groupName GROUP")]
    [InlineData("deleteSubGroup", "--groupName GROUP")]
    [InlineData("resetOffsetByTime", "--timestamp TIME")]
    [InlineData("updateTopicPerm", "--perm PERM")]
    [InlineData("wipeWritePerm", "--brokerName GROUP")]
    [InlineData("addWritePerm", "--brokerName GROUP")]
    [InlineData("getNamesrvConfig", "--namesrv")]
    [InlineData("queryMsgById", "--msgId MSGID")]
    [InlineData("queryMsgByKey", "--msgKey KEY")]
    [InlineData("queryMsgByUniqueKey", "--msgId MSGID")]
    [InlineData("queryMsgByOffset", "--offset OFFSET")]
    [InlineData("printMsg", "--subExpression EXPR")]
    [InlineData("printMsgByQueue", "--calculate true|false")]
    [InlineData("sendMessage", "--body TEXT")]
    [InlineData("consumeMessage", "--MessageNumber N")]
    [InlineData("queryCq", "--index INDEX")]
    [InlineData("consumerConnection", "--consumerGroup GROUP")]
    [InlineData("producerConnection", "--producerGroup GROUP")]
    [InlineData("brokerConsumeStats", "--brokerAddr ADDR")]
    [InlineData("cloneGroupOffset", "--srcGroup GROUP")]
    [InlineData("getBrokerConfig", "--clusterName CLUSTER")]
    [InlineData("updateBrokerConfig", "--key KEY")]
    [InlineData("cleanUnusedTopic", "--brokerAddr ADDR")]
    [InlineData("statsAll", "--activeTopic")]
    public async Task Every_new_verb_has_help_with_its_options_and_json(string verb, string option)
    {
        var result = await RaftMqRun.RunAsync(_logs.Path, Deadline, "admin", verb, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"usage: raftmq admin {verb}", result.Output, StringComparison.Ordinal);
        Assert.Contains(option, result.Output, StringComparison.Ordinal);
        Assert.Contains("--json", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Dispose();

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
