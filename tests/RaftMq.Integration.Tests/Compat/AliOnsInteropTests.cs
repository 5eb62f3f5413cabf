using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Integration.Tests.Compat;

/// <summary>
/// The RaftMq .NET client and the unmodified npm RocketMQ client ali-ons 3.12.0 (tests/compat/tools) exchange
/// messages through a real RaftMq cluster: what one sends, the other receives with the same body bytes, tag, keys,
/// user properties and broker message id.
/// </summary>
public sealed class AliOnsInteropTests(CompatClusterFixture cluster) : IClassFixture<CompatClusterFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Messages_sent_by_ali_ons_reach_the_dotnet_push_consumer_with_identical_body_tags_keys_and_properties()
    {
        var messages = InteropMessage.CreateSet(CompatClusterFixture.AliOnsToDotnetTopic, "from-ali-ons");
        var received = new ConcurrentDictionary<string, MessageExt>();
        await using var consumer = new PushConsumer(new PushConsumerOptions
        {
            NameServerAddresses = [cluster.NameServer],
            ConsumerGroup = "interop_dotnet_consumer",
            ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset,
        });
        consumer.Subscribe(CompatClusterFixture.AliOnsToDotnetTopic);
        await consumer.StartAsync((batch, _, _) =>
        {
            foreach (var message in batch) received.TryAdd(message.GetProperty(InteropMessage.CorrelationProperty) ?? "", message);
            return ValueTask.FromResult(ConsumeResult.Success);
        });

        await using var producer = NodeProcess.Start("producer", new JsonObject { ["nameSrv"] = cluster.NameServer, ["group"] = "interop_ali_ons_producer" });
        await producer.WaitForEventAsync("ready", _ => true, Deadline);
        await producer.SendCommandAsync(new JsonObject { ["cmd"] = "send", ["id"] = 1, ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)m.ToNodeSpec())]) });
        var results = (await producer.WaitForEventAsync("sent", e => (int?)e["id"] == 1, Deadline))["results"]!.AsArray();

        await WaitUntilAsync(() => messages.All(m => received.ContainsKey(m.Cid)), () => $"received {string.Join(", ", received.Keys)}");
        for (int i = 0; i < messages.Count; i++)
        {
            var sent = messages[i];
            Assert.True((bool)results[i]!["ok"]!, $"ali-ons send of {sent.Cid} failed: {results[i]}");
            var got = received[sent.Cid];
            Assert.Equal(sent.Body, got.Body);
            Assert.Equal(sent.Tags, got.Tags);
            Assert.Equal(string.Join(' ', sent.Keys), got.Keys);
            foreach (var (name, value) in sent.Properties) Assert.Equal(value, got.GetProperty(name));
            Assert.Equal((string?)results[i]!["msgId"], got.OffsetMsgId);
        }
    }

    [Fact]
    public async Task Messages_sent_by_the_dotnet_producer_reach_ali_ons_with_identical_body_tags_keys_and_properties()
    {
        var messages = InteropMessage.CreateSet(CompatClusterFixture.DotnetToAliOnsTopic, "from-dotnet");
        var sendResults = new Dictionary<string, SendResult>();
        await using (var producer = new MQProducer(new ProducerOptions { NameServerAddresses = [cluster.NameServer], ProducerGroup = "interop_dotnet_producer" }))
        {
            await producer.StartAsync();
            foreach (var message in messages) sendResults[message.Cid] = await producer.SendAsync(message.ToClientMessage());
        }

        await using var consumer = NodeProcess.Start("consumer", new JsonObject
        {
            ["nameSrv"] = cluster.NameServer,
            ["group"] = "interop_ali_ons_consumer",
            ["topic"] = CompatClusterFixture.DotnetToAliOnsTopic,
            ["consumeFromWhere"] = "CONSUME_FROM_FIRST_OFFSET",
        });
        await consumer.WaitForEventAsync("ready", _ => true, Deadline);
        Dictionary<string, JsonObject> ReceivedByCid() => consumer.Events
            .Where(e => (string?)e["type"] == "message")
            .Select(e => e["message"]!.AsObject())
            .GroupBy(m => (string?)m["properties"]![InteropMessage.CorrelationProperty] ?? "")
            .ToDictionary(g => g.Key, g => g.First());
        await WaitUntilAsync(() => messages.All(m => ReceivedByCid().ContainsKey(m.Cid)), () => $"received {string.Join(", ", ReceivedByCid().Keys)}");

        var received = ReceivedByCid();
        foreach (var sent in messages)
        {
            var got = received[sent.Cid];
            Assert.Equal(Convert.ToBase64String(sent.Body), (string?)got["body"]);
            Assert.Equal(sent.Tags, (string?)got["tags"]);
            Assert.Equal(string.Join(' ', sent.Keys), (string?)got["keys"]);
            foreach (var (name, value) in sent.Properties) Assert.Equal(value, (string?)got["properties"]![name]);
            Assert.Equal(sendResults[sent.Cid].OffsetMsgId, (string?)got["msgId"]);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> state)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"condition not met within {Deadline}: {state()}");
            await Task.Delay(100);
        }
    }
}
