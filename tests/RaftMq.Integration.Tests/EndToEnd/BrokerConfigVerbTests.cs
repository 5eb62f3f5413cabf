using System.Text.Json;
using System.Text.RegularExpressions;
using RaftMq.Cli.Processes;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>getBrokerConfig / updateBrokerConfig as processes against the shared cluster.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class BrokerConfigVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TestDirectory _logs = new("broker-config-verb-logs");

    [Fact]
    public async Task GetBrokerConfig_prints_the_nodes_settings_in_force()
    {
        var node = cluster.Layout.Brokers[1];

        var text = await RunAsync("admin", "getBrokerConfig", "-b", node.Address);

        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith($"============{node.Address}============", text.Output, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"(?m)^brokerName\s+=  E2EGroup$"), text.Output);
        Assert.Matches(new Regex($@"(?m)^dLegerSelfId\s+=  {node.SelfId}$"), text.Output);
        Assert.Matches(new Regex(@"(?m)^longPollingMaxSuspendMs\s+=  \d+$"), text.Output);
        Assert.DoesNotMatch(new Regex(@"(?m)^(secretKey|dLegerPeerSecret)\s"), text.Output);
    }

    [Fact]
    public async Task UpdateBrokerConfig_changes_a_run_time_key_on_every_node_of_the_cluster()
    {
        var before = await cluster.Admin.GetBrokerConfigAsync(cluster.Layout.Brokers[0].Address);
        string original = before.Single(entry => entry.Key == "longPollingMaxSuspendMs").Value;
        string changed = original == "20000" ? "21000" : "20000";
        try
        {
            var updated = await RunAsync("admin", "updateBrokerConfig", "-c", "E2ECluster", "-k", "longPollingMaxSuspendMs", "-v", changed);

            Assert.Equal(0, updated.ExitCode);
            foreach (var node in cluster.Layout.Brokers)
            {
                Assert.Contains($"update broker config success, {node.Address}", updated.Output, StringComparison.Ordinal);
            }
            var all = await RunAsync("admin", "getBrokerConfig", "-c", "E2ECluster", "--json");
            Assert.Equal(0, all.ExitCode);
            using var json = JsonDocument.Parse(all.Output);
            Assert.Equal(3, json.RootElement.EnumerateObject().Count());
            Assert.All(json.RootElement.EnumerateObject(), node => Assert.Equal(changed, node.Value.GetProperty("longPollingMaxSuspendMs").GetString()));
            var banners = await RunAsync("admin", "getBrokerConfig", "-c", "E2ECluster");
            Assert.Single(Regex.Matches(banners.Output, @"(?m)^============Master: 127\.0\.0\.1:\d+============$"));
            Assert.Equal(2, Regex.Matches(banners.Output, @"(?m)^============My Master: 127\.0\.0\.1:\d+=====Slave: 127\.0\.0\.1:\d+============$").Count);
        }
        finally
        {
            await RunAsync("admin", "updateBrokerConfig", "-c", "E2ECluster", "-k", "longPollingMaxSuspendMs", "-v", original);
        }
    }

    [Theory]
    [InlineData("maxReconsumeTimes", "3", "maxReconsumeTimes cannot be changed at run time: it must agree on every replica of the group")]
    [InlineData("sendMessageThreadPoolNums", "4", "sendMessageThreadPoolNums cannot be changed at run time: it needs a restart")]
    [InlineData("noSuchKey", "1", "noSuchKey cannot be changed at run time: unknown key")]
    [InlineData("longPollingMaxParked", "-5", "longPollingMaxParked cannot be changed at run time: '-5' is not a whole number between 0 and 1000000")]
    public async Task UpdateBrokerConfig_refuses_keys_that_cannot_change_at_run_time_with_the_reason(string key, string value, string reason)
    {
        var node = cluster.Layout.Brokers[0];
        var before = await cluster.Admin.GetBrokerConfigAsync(node.Address);

        var result = await RunAsync("admin", "updateBrokerConfig", "-b", node.Address, "-k", key, "-v", value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", result.Error, StringComparison.Ordinal);
        Assert.Equal(before.Where(e => e.Key != "longPollingMaxSuspendMs"), (await cluster.Admin.GetBrokerConfigAsync(node.Address)).Where(e => e.Key != "longPollingMaxSuspendMs"));
    }

    public void Dispose() => _logs.Dispose();

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
