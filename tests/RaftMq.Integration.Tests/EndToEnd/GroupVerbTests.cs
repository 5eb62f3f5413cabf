using System.Text.Json;
using System.Text.RegularExpressions;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Codes;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>updateSubGroup / deleteSubGroup as processes against the shared cluster: output, replication to every node,
/// and what the broker does with the settings.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class GroupVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly TestDirectory _logs = new("group-verb-logs");

    [Fact]
    public async Task UpdateSubGroup_reaches_every_replica_and_a_disabled_group_cannot_pull_until_deleted()
    {
        await cluster.CreateTopicAsync("E2ESubGroupTopic", 1);

        var updated = await RunAsync("admin", "updateSubGroup", "-c", "E2ECluster", "-g", "E2EDisabledGroup", "-s", "false", "-r", "3", "-q", "2");

        Assert.Equal(0, updated.ExitCode);
        var master = await cluster.WaitForLeaderAsync(excluding: null);
        Assert.Contains($"create subscription group to {master.Address} success.", updated.Output, StringComparison.Ordinal);
        Assert.Contains("SubscriptionGroupConfig [groupName=E2EDisabledGroup, consumeEnable=false, consumeFromMinEnable=false, "
            + "consumeBroadcastEnable=false, retryQueueNums=2, retryMaxTimes=3,", updated.Output, StringComparison.Ordinal);
        foreach (var node in cluster.Layout.Brokers)
        {
            await Poll.UntilTrueAsync(async token =>
                (await cluster.Admin.GetAllSubscriptionGroupsAsync(node.Address, token)).SubscriptionGroupTable.GetValueOrDefault("E2EDisabledGroup")
                    is { ConsumeEnable: false, RetryMaxTimes: 3, RetryQueueNums: 2 },
                Deadline, PollInterval, $"{node.SelfId} to apply the group's settings", CancellationToken.None);
        }

        await using var consumer = new PullConsumer(new PullConsumerOptions
        {
            NameServerAddresses = [cluster.NameServer], ConsumerGroup = "E2EDisabledGroup", InstanceName = "e2e-disabled-group",
        });
        await consumer.StartAsync();
        var queue = (await consumer.FetchSubscribeMessageQueuesAsync("E2ESubGroupTopic")).Single();
        var refusal = await Assert.ThrowsAsync<MQBrokerException>(() => consumer.PullAsync(queue, "*", 0, 1));
        Assert.Equal(ResponseCode.NoPermission, refusal.ResponseCode);
        Assert.Equal("subscription group no permission, E2EDisabledGroup", refusal.Remark);

        var deleted = await RunAsync("admin", "deleteSubGroup", "-c", "E2ECluster", "-g", "E2EDisabledGroup");

        Assert.Equal(0, deleted.ExitCode);
        Assert.Contains($"delete subscription group [E2EDisabledGroup] from broker [{master.Address}] in cluster [E2ECluster] success.",
            deleted.Output, StringComparison.Ordinal);
        foreach (var node in cluster.Layout.Brokers)
        {
            await Poll.UntilTrueAsync(async token =>
                !(await cluster.Admin.GetAllSubscriptionGroupsAsync(node.Address, token)).SubscriptionGroupTable.ContainsKey("E2EDisabledGroup"),
                Deadline, PollInterval, $"{node.SelfId} to apply the group's deletion", CancellationToken.None);
        }
        var pulled = await consumer.PullAsync(queue, "*", 0, 1);
        Assert.NotEqual(PullStatus.OffsetIllegal, pulled.Status);
    }

    [Fact]
    public async Task UpdateSubGroup_as_json_prints_the_settings_and_the_brokers()
    {
        var master = await cluster.WaitForLeaderAsync(excluding: null);

        var result = await RunAsync("admin", "updateSubGroup", "-b", master.Address, "-g", "E2EJsonGroup", "-d", "true", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(master.Address, Assert.Single(json.RootElement.GetProperty("brokers").EnumerateArray()).GetString());
        var config = json.RootElement.GetProperty("subscriptionGroupConfig");
        Assert.Equal("E2EJsonGroup", config.GetProperty("groupName").GetString());
        Assert.True(config.GetProperty("consumeBroadcastEnable").GetBoolean());
        Assert.Equal(16, config.GetProperty("retryMaxTimes").GetInt32());
    }

    [Theory]
    [InlineData("updateSubGroup", "-g", "G", "exactly one of -b ADDR")]
    [InlineData("updateSubGroup", "-c", "E2ECluster", "--groupName is required")]
    [InlineData("deleteSubGroup", "-g", "G", "exactly one of -b ADDR")]
    public async Task Group_verbs_with_missing_options_are_usage_errors(string verb, string option, string value, string expected)
    {
        var result = await RunAsync("admin", verb, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateSubGroup_with_a_bad_boolean_names_the_option()
    {
        var result = await RunAsync("admin", "updateSubGroup", "-c", "E2ECluster", "-g", "G", "-s", "maybe");

        Assert.Equal(2, result.ExitCode);
        Assert.Matches(new Regex(@"--consumeEnable = 'maybe': expected true or false"), result.Error);
    }

    public void Dispose() => _logs.Dispose();

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
