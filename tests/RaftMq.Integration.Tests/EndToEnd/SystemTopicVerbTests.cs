using System.Text.Json;
using System.Text.RegularExpressions;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Protocol.Codes;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>The topics every broker group creates at start through its log (named after the group and after the cluster), and
/// the verbs that send to them: sendMsgStatus and clusterRT, as processes against the shared cluster.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class SystemTopicVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TestDirectory _logs = new("system-topic-verb-logs");

    private string Group => cluster.Layout.Brokers[0].BrokerName;

    [Fact]
    public async Task The_group_and_cluster_topics_exist_with_rocketmqs_queues_and_perm()
    {
        var route = await Poll.UntilAsync(async token => await cluster.Admin.FindTopicRouteAsync(cluster.Layout.ClusterName, token),
            Deadline, TimeSpan.FromMilliseconds(200), "the cluster topic's route", CancellationToken.None);
        var groupRoute = await cluster.Admin.FindTopicRouteAsync(Group);

        var clusterQueues = Assert.Single(route.QueueDatas);
        Assert.Equal(16, clusterQueues.WriteQueueNums);
        Assert.Equal(PermName.Inherit | PermName.ReadWrite, clusterQueues.Perm);
        var groupQueues = Assert.Single(groupRoute!.QueueDatas);
        Assert.Equal(1, groupQueues.WriteQueueNums);
        Assert.Equal(1, groupQueues.ReadQueueNums);
        Assert.Equal(PermName.Inherit | PermName.ReadWrite, groupQueues.Perm);
    }

    [Fact]
    public async Task SendMsgStatus_sends_to_the_groups_own_topic_and_prints_each_round_trip()
    {
        var text = await RunAsync("admin", "sendMsgStatus", "-b", Group, "-c", "3", "-s", "40");
        var json = await RunAsync("admin", "sendMsgStatus", "-b", Group, "-c", "2", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Equal(3, Regex.Matches(text.Output,
            $@"(?m)^rt:\d+ms, SendResult=SendResult \[sendStatus=SEND_OK, msgId=[0-9A-F]{{32}}, offsetMsgId=[0-9A-F]{{32}}, messageQueue=MessageQueue \[topic={Group}, brokerName={Group}, queueId=0\], queueOffset=\d+\]$").Count);
        Assert.Equal(0, json.ExitCode);
        using var body = JsonDocument.Parse(json.Output);
        Assert.Equal(2, body.RootElement.GetArrayLength());
        Assert.All(body.RootElement.EnumerateArray(), send => Assert.Equal("SEND_OK", send.GetProperty("sendStatus").GetString()));
    }

    [Fact]
    public async Task ClusterRT_prints_the_average_round_trip_of_every_group_per_round()
    {
        var text = await RunAsync("admin", "clusterRT", "-a", "3", "-s", "64", "--rounds", "2", "-i", "0");
        var tlog = await RunAsync("admin", "clusterRT", "-a", "2", "-c", cluster.Layout.ClusterName, "-p", "true", "-m", "roomA", "--rounds", "1");
        var json = await RunAsync("admin", "clusterRT", "-a", "2", "--rounds", "1", "--json");
        var unknown = await RunAsync("admin", "clusterRT", "-c", "NoSuchCluster", "--rounds", "1");

        Assert.Equal(0, text.ExitCode);
        Assert.Matches(new Regex(@"(?m)^#Cluster Name\s+#Broker Name\s+#RT\s+#successCount\s+#failCount\s*$"), text.Output);
        Assert.Equal(2, Regex.Matches(text.Output, $@"(?m)^{cluster.Layout.ClusterName}\s+{Group}\s+\d+\.\d\d\s+3\s+0\s*$").Count);
        Assert.Equal(0, tlog.ExitCode);
        Assert.Matches(new Regex($@"(?m)^\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\|roomA\|{cluster.Layout.ClusterName}\|{Group}\|\d+$"), tlog.Output);
        Assert.Equal(0, json.ExitCode);
        using var row = JsonDocument.Parse(json.Output.Trim());
        Assert.Equal(Group, row.RootElement.GetProperty("brokerName").GetString());
        Assert.Equal(2, row.RootElement.GetProperty("successCount").GetInt32());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("cluster [NoSuchCluster] not exist", unknown.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Dispose();

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
