using System.Text.Json.Nodes;
using RaftMq.Cli.Processes;
using RaftMq.Integration.Tests.Compat;

namespace RaftMq.Integration.Tests.Security;

/// <summary>
/// The unmodified npm client ali-ons 3.12.0 with <c>accessKeyId</c>/<c>accessKeySecret</c> (it signs like
/// RocketMQ's AclClientRPCHook and adds OnsChannel) against the ACL cluster: allowed and refused.
/// </summary>
[Collection(SecureClusterCollection.Name)]
public sealed class AliOnsAclTests(SecureCluster cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public async Task InitializeAsync()
    {
        await CompatPaths.EnsureAliOnsInstalledAsync();
        foreach (string topic in (string[])[SecureCluster.Topic, SecureCluster.DeniedTopic])
        {
            await cluster.CreateTopicAsync(topic, 2);
            await Poll.UntilTrueAsync(async token => (await cluster.Admin.GetTopicListAsync(token)).Contains(topic), Deadline,
                TimeSpan.FromMilliseconds(100), $"the name server to route {topic}", CancellationToken.None);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Ali_ons_with_the_producer_keys_sends_and_with_the_consumer_keys_receives()
    {
        var messages = InteropMessage.CreateSet(SecureCluster.Topic, "ali-ons-acl");
        await using var producer = NodeProcess.Start("producer", Config("acl_ali_ons_producer", SecureCluster.Producer.AccessKey, SecureCluster.Producer.SecretKey));
        await producer.WaitForEventAsync("ready", _ => true, Deadline);
        foreach (var message in messages)
        {
            var result = await SendAsync(producer, message, untilAccepted: true);
            Assert.True((bool)result["ok"]!, $"ali-ons send failed: {result}");
        }

        var consumerConfig = Config(SecureCluster.Group, SecureCluster.Consumer.AccessKey, SecureCluster.Consumer.SecretKey);
        consumerConfig["topic"] = SecureCluster.Topic;
        consumerConfig["consumeFromWhere"] = "CONSUME_FROM_FIRST_OFFSET";
        await using var consumer = NodeProcess.Start("consumer", consumerConfig);
        await consumer.WaitForEventAsync("ready", _ => true, Deadline);
        foreach (var message in messages)
        {
            await consumer.WaitForEventAsync("message",
                e => (string?)e["message"]!["properties"]![InteropMessage.CorrelationProperty] == message.Cid, Deadline);
        }
    }

    /// <summary>ali-ons reports only "Send [4] times, still failed" (it drops the broker's remark), so the reason is
    /// read from the broker log, where every refusal is logged with its remark.</summary>
    [Fact]
    public async Task Ali_ons_with_a_wrong_secret_or_without_permission_is_refused_with_the_reason()
    {
        await using var wrong = NodeProcess.Start("producer", Config("acl_ali_ons_wrong", SecureCluster.Producer.AccessKey, "not-the-secret"));
        await using var allowed = NodeProcess.Start("producer", Config("acl_ali_ons_denied", SecureCluster.Producer.AccessKey, SecureCluster.Producer.SecretKey));
        await wrong.WaitForEventAsync("ready", _ => true, Deadline);
        await allowed.WaitForEventAsync("ready", _ => true, Deadline);

        var wrongSecret = await SendAsync(wrong, InteropMessage.CreateSet(SecureCluster.Topic, "wrong")[0], untilAccepted: false);
        var denied = await SendAsync(allowed, InteropMessage.CreateSet(SecureCluster.DeniedTopic, "denied")[0], untilAccepted: false);

        Assert.False((bool)wrongSecret["ok"]!);
        Assert.False((bool)denied["ok"]!);
        Assert.Contains(BrokerLogLines(), line => line.Contains("Check signature failed for accessKey=producer01", StringComparison.Ordinal));
        Assert.Contains(BrokerLogLines(), line => line.Contains("No permission for topic:AclDenied", StringComparison.Ordinal));
    }

    /// <summary>Sends one message; with <paramref name="untilAccepted"/>, again while it fails (a route or rule still on
    /// its way), bounded by the deadline.</summary>
    private static async Task<JsonObject> SendAsync(NodeProcess producer, InteropMessage message, bool untilAccepted)
    {
        var deadline = DateTime.UtcNow + Deadline;
        for (int id = 1; ; id++)
        {
            await producer.SendCommandAsync(new JsonObject { ["cmd"] = "send", ["id"] = id, ["messages"] = new JsonArray(message.ToNodeSpec()) });
            int expected = id;
            var result = (await producer.WaitForEventAsync("sent", e => (int?)e["id"] == expected, Deadline))["results"]!.AsArray()[0]!.AsObject();
            if ((bool)result["ok"]! || !untilAccepted || DateTime.UtcNow > deadline) return result;
            await Task.Delay(500);
        }
    }

    private IEnumerable<string> BrokerLogLines() =>
        Directory.GetFiles(Path.Combine(cluster.Root, "logs"), "*", SearchOption.AllDirectories)
            .SelectMany(file => ReadShared(file).Split('\n'));

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private JsonObject Config(string group, string accessKey, string secretKey) => new()
    {
        ["nameSrv"] = cluster.NameServer,
        ["group"] = group,
        ["accessKeyId"] = accessKey,
        ["accessKeySecret"] = secretKey,
    };
}
