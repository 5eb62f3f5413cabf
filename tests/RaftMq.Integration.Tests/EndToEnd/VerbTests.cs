using System.Text.RegularExpressions;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>The operator verbs as processes against the shared cluster: admin, produce, consume.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class VerbTests(E2ECluster cluster) : IDisposable
{
    private readonly TestDirectory _logs = new("verb-logs");

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ClusterList_shows_every_node_with_the_leader_as_broker_id_zero()
    {
        var leader = await cluster.WaitForLeaderAsync(excluding: null);

        var result = await RunAsync("admin", "clusterList");

        Assert.Equal(0, result.ExitCode);
        var rows = result.Output.Split('\n').Where(line => line.StartsWith("E2ECluster", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count);
        var masters = rows.Where(row => Regex.IsMatch(row, @"^E2ECluster\s+E2EGroup\s+0\s")).ToList();
        Assert.Matches(LeaderRow(leader.ListenPort), Assert.Single(masters));
    }

    [Fact]
    public async Task TransferLeader_moves_the_master_role_to_the_named_node()
    {
        var leader = await cluster.WaitForLeaderAsync(excluding: null);
        var target = cluster.Layout.Brokers.First(broker => broker != leader);

        var result = await RunAsync("admin", "transferLeader", "-b", cluster.Layout.BrokerName, "-i", target.SelfId);
        var newLeader = await cluster.WaitForLeaderAsync(excluding: leader);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(target, newLeader);
    }

    [Fact]
    public async Task Produce_then_consume_prints_every_message_once()
    {
        var produced = await RunAsync("produce", "-t", "E2EVerbs", "-c", "5", "--tags", "TagV");
        var consumed = await RunAsync("consume", "-t", "E2EVerbs", "-g", "e2e-verbs", "-c", "5", "--timeout", "60s");

        Assert.Equal(0, produced.ExitCode);
        Assert.Equal(5, Regex.Matches(produced.Output, "sendStatus=SEND_OK").Count);
        Assert.Equal(0, consumed.ExitCode);
        var bodies = Regex.Matches(consumed.Output, @"body=(Hello RaftMq \d)").Select(match => match.Groups[1].Value).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"Hello RaftMq {i}"), bodies);
    }

    [Fact]
    public async Task Admin_verb_against_an_unreachable_name_server_fails_with_one_line()
    {
        int closedPort = ClusterConfs.FreePort();

        var result = await RaftMqRun.RunAsync(_logs.Path, Deadline, "admin", "topicList", "-n", $"127.0.0.1:{closedPort}", "-l", _logs.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Dispose();

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);

    private static Regex LeaderRow(int port) => new($@"E2EGroup\s+0\s+127\.0\.0\.1:{port}\s+n\d\s+LEADER");
}
