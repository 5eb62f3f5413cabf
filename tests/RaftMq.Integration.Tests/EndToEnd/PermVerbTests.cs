using System.Text.Json;
using RaftMq.Cli.Processes;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>updateTopicPerm, wipeWritePerm and addWritePerm as processes against the shared cluster, checked in the output
/// and in the routes the name server serves.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class PermVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TestDirectory _logs = new("perm-verb-logs");

    [Fact]
    public async Task UpdateTopicPerm_changes_the_perm_in_the_routes_and_keeps_the_queues()
    {
        await cluster.CreateTopicAsync("E2EPermTopic", 3);
        var master = await cluster.WaitForLeaderAsync(excluding: null);

        var readOnly = await RunAsync("admin", "updateTopicPerm", "-c", "E2ECluster", "-t", "E2EPermTopic", "-p", "4");
        var again = await RunAsync("admin", "updateTopicPerm", "-b", master.Address, "-t", "E2EPermTopic", "-p", "4", "--json");

        Assert.Equal(0, readOnly.ExitCode);
        Assert.Contains($"update topic perm from 6 to 4 in {master.Address} success.", readOnly.Output, StringComparison.Ordinal);
        await WaitForRoutePermAsync("E2EPermTopic", 4);
        var queue = (await cluster.Admin.FindTopicRouteAsync("E2EPermTopic"))!.QueueDatas.Single();
        Assert.Equal(3, queue.ReadQueueNums);
        Assert.Equal(3, queue.WriteQueueNums);
        Assert.Equal(0, again.ExitCode);
        using var json = JsonDocument.Parse(again.Output);
        Assert.False(json.RootElement.GetProperty("brokers")[0].GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task WipeWritePerm_takes_the_write_bit_off_the_routes_and_addWritePerm_puts_it_back()
    {
        await cluster.CreateTopicAsync("E2EWipeTopic", 1);
        await WaitForRoutePermAsync("E2EWipeTopic", 6);
        try
        {
            var wiped = await RunAsync("admin", "wipeWritePerm", "-b", "E2EGroup");

            Assert.Equal(0, wiped.ExitCode);
            Assert.Matches($@"wipe write perm of broker\[E2EGroup\] in name server\[{cluster.NameServer}\] OK, [1-9]\d*", wiped.Output);
            Assert.Equal(4, (await cluster.Admin.FindTopicRouteAsync("E2EWipeTopic"))!.QueueDatas.Single().Perm);
        }
        finally
        {
            var added = await RunAsync("admin", "addWritePerm", "-b", "E2EGroup", "--json");
            Assert.Equal(0, added.ExitCode);
            using var json = JsonDocument.Parse(added.Output);
            Assert.True(json.RootElement[0].GetProperty("ok").GetBoolean());
        }
        Assert.Equal(6, (await cluster.Admin.FindTopicRouteAsync("E2EWipeTopic"))!.QueueDatas.Single().Perm);
    }

    [Fact]
    public async Task UpdateTopicPerm_with_a_bad_perm_is_a_usage_error()
    {
        var result = await RunAsync("admin", "updateTopicPerm", "-c", "E2ECluster", "-t", "T", "-p", "5");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--perm = 5: expected 2, 4 or 6", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetNamesrvConfig_prints_the_name_servers_settings_in_force()
    {
        var text = await RunAsync("admin", "getNamesrvConfig");
        var json = await RunAsync("admin", "getNamesrvConfig", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains($"============{cluster.NameServer}============", text.Output, StringComparison.Ordinal);
        string port = cluster.NameServer.Split(':')[1];
        Assert.Matches($@"(?m)^listenPort\s+=  {port}\s*$", text.Output);
        Assert.Matches(@"(?m)^scanNotActiveBrokerInterval\s+=  \d+\s*$", text.Output);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(port, document.RootElement.GetProperty(cluster.NameServer).GetProperty("listenPort").GetString());
    }

    public void Dispose() => _logs.Dispose();

    private Task WaitForRoutePermAsync(string topic, int perm) =>
        Poll.UntilTrueAsync(async token => (await cluster.Admin.FindTopicRouteAsync(topic, token))?.QueueDatas.SingleOrDefault()?.Perm == perm,
            Deadline, TimeSpan.FromMilliseconds(100), $"{topic} to be routed with perm {perm}", CancellationToken.None);

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
