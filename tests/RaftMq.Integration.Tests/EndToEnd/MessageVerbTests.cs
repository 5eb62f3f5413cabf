using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RaftMq.Client;
using static RaftMq.Integration.Tests.EndToEnd.E2EClients;

namespace RaftMq.Integration.Tests.EndToEnd;

/// <summary>The message verbs (queryMsgById, queryMsgByKey, queryMsgByUniqueKey, queryMsgByOffset, printMsg,
/// printMsgByQueue, sendMessage, consumeMessage) as processes against the shared cluster, checked against what the producer was told.</summary>
[Collection(E2EClusterCollection.Name)]
public sealed class MessageVerbTests(E2ECluster cluster) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly TestDirectory _logs = new("message-verb-logs");

    [Fact]
    public async Task Query_verbs_find_a_sent_message_by_offset_id_producer_id_key_and_queue_offset()
    {
        await cluster.CreateTopicAsync("E2EMsgQuery", 2);
        await using var producer = await StartProducerAsync(cluster, "e2e-msg-query-producer");
        await SendAsync(producer, new Message("E2EMsgQuery", Encoding.UTF8.GetBytes("other"), "TagB", "order-1"));
        var sent = await SendAsync(producer, new Message("E2EMsgQuery", Encoding.UTF8.GetBytes("the order 7 body"), "TagA", "order-7"));

        var byOffsetId = await RunAsync("admin", "queryMsgById", "-i", sent.OffsetMsgId, "-f", "UTF-8");
        var byProducerId = await RunAsync("admin", "queryMsgById", "-i", sent.MsgId, "-t", "E2EMsgQuery", "--json");
        var byKey = await RunAsync("admin", "queryMsgByKey", "-t", "E2EMsgQuery", "-k", "order-7");
        var byUniqueKey = await RunAsync("admin", "queryMsgByUniqueKey", "-t", "E2EMsgQuery", "-i", sent.MsgId);
        var byOffset = await RunAsync("admin", "queryMsgByOffset", "-t", "E2EMsgQuery", "-b", sent.Queue.BrokerName,
            "-i", Text(sent.Queue.QueueId), "-o", Text(sent.QueueOffset));

        Assert.Equal(0, byOffsetId.ExitCode);
        Assert.Contains($"OffsetID:            {sent.OffsetMsgId}", byOffsetId.Output, StringComparison.Ordinal);
        Assert.Contains("Topic:               E2EMsgQuery", byOffsetId.Output, StringComparison.Ordinal);
        Assert.Contains("Tags:                [TagA]", byOffsetId.Output, StringComparison.Ordinal);
        Assert.Contains("Keys:                [order-7]", byOffsetId.Output, StringComparison.Ordinal);
        Assert.Contains($"Queue ID:            {sent.Queue.QueueId}", byOffsetId.Output, StringComparison.Ordinal);
        Assert.Contains($"Queue Offset:        {sent.QueueOffset}", byOffsetId.Output, StringComparison.Ordinal);
        Assert.Contains($"UNIQ_KEY={sent.MsgId}", byOffsetId.Output, StringComparison.Ordinal);
        Assert.Contains("Message Body:        the order 7 body", byOffsetId.Output, StringComparison.Ordinal);
        string bodyPath = Regex.Match(byOffsetId.Output, @"(?m)^Message Body Path:\s+(\S+)").Groups[1].Value;
        Assert.Equal("the order 7 body", await File.ReadAllTextAsync(bodyPath));

        Assert.Equal(0, byProducerId.ExitCode);
        using (var json = JsonDocument.Parse(byProducerId.Output))
        {
            var message = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal(sent.MsgId, message.GetProperty("msgId").GetString());
            Assert.Equal(sent.OffsetMsgId, message.GetProperty("offsetMsgId").GetString());
            Assert.Equal("the order 7 body", message.GetProperty("body").GetString());
        }

        Assert.Equal(0, byKey.ExitCode);
        Assert.Matches(@"#Message ID\s+#QID\s+#Offset", byKey.Output);
        Assert.Matches($@"(?m)^{sent.MsgId}\s+{sent.Queue.QueueId}\s+{sent.QueueOffset}\s*$", byKey.Output);
        Assert.Equal(2, byKey.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.Equal(0, byUniqueKey.ExitCode);
        Assert.Contains("Keys:                [order-7]", byUniqueKey.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("OffsetID:", byUniqueKey.Output, StringComparison.Ordinal);

        Assert.Equal(0, byOffset.ExitCode);
        Assert.Contains($"OffsetID:            {sent.OffsetMsgId}", byOffset.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrintMsg_and_printMsgByQueue_read_a_time_range_filter_by_tag_and_count_tags()
    {
        await cluster.CreateTopicAsync("E2EMsgPrint", 1);
        await using var producer = await StartProducerAsync(cluster, "e2e-msg-print-producer");
        for (int i = 0; i < 3; i++) await SendAsync(producer, new Message("E2EMsgPrint", Encoding.UTF8.GetBytes($"early-{i}"), "TagA"));
        long acknowledged = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Every later message is stored at least one millisecond after the early ones were acknowledged.
        while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() <= acknowledged) await Task.Yield();
        for (int i = 0; i < 2; i++) await SendAsync(producer, new Message("E2EMsgPrint", Encoding.UTF8.GetBytes($"late-{i}"), "TagB"));
        for (int i = 0; i < 1; i++) await SendAsync(producer, new Message("E2EMsgPrint", Encoding.UTF8.GetBytes($"late-a-{i}"), "TagA"));
        string after = Text(acknowledged + 1);

        var all = await RunAsync("admin", "printMsg", "-t", "E2EMsgPrint");
        var tagB = await RunAsync("admin", "printMsg", "-t", "E2EMsgPrint", "-s", "TagB", "-d", "false");
        var late = await RunAsync("admin", "printMsg", "-t", "E2EMsgPrint", "-b", after, "--json");
        var counted = await RunAsync("admin", "printMsgByQueue", "-t", "E2EMsgPrint", "-a", "E2EGroup", "-i", "0", "-f", "true");
        var lateCounted = await RunAsync("admin", "printMsgByQueue", "-t", "E2EMsgPrint", "-a", "E2EGroup", "-i", "0", "-b", after, "-p", "true", "-d", "true");

        Assert.Equal(0, all.ExitCode);
        Assert.Contains("minOffset=0, maxOffset=6, MessageQueue [topic=E2EMsgPrint, brokerName=E2EGroup, queueId=0]", all.Output, StringComparison.Ordinal);
        Assert.Equal(6, Regex.Matches(all.Output, @"(?m)^MSGID: [0-9A-F]{32} MessageExt \[brokerName=E2EGroup, queueId=0, .* BODY: (early|late)").Count);
        Assert.Contains("BODY: early-0", all.Output, StringComparison.Ordinal);

        Assert.Equal(0, tagB.ExitCode);
        Assert.Equal(2, Regex.Matches(tagB.Output, @"(?m)^MSGID: .*TAGS=TagB.* BODY: NOT PRINT BODY$").Count);
        Assert.DoesNotContain("TAGS=TagA", tagB.Output, StringComparison.Ordinal);

        Assert.Equal(0, late.ExitCode);
        using (var json = JsonDocument.Parse(late.Output))
        {
            var queue = Assert.Single(json.RootElement.GetProperty("queues").EnumerateArray());
            Assert.Equal(3, queue.GetProperty("minOffset").GetInt64());
            var bodies = queue.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("body").GetString()).ToList();
            Assert.Equal(["late-0", "late-1", "late-a-0"], bodies);
        }

        Assert.Equal(0, counted.ExitCode);
        Assert.Matches(@"(?m)^Tag: TagA\s+Count: 4\s*$", counted.Output);
        Assert.Matches(@"(?m)^Tag: TagB\s+Count: 2\s*$", counted.Output);
        Assert.True(counted.Output.IndexOf("TagA", StringComparison.Ordinal) < counted.Output.IndexOf("TagB", StringComparison.Ordinal), "most frequent tag first");
        Assert.DoesNotContain("MSGID:", counted.Output, StringComparison.Ordinal);

        Assert.Equal(0, lateCounted.ExitCode);
        Assert.Equal(3, Regex.Matches(lateCounted.Output, @"(?m)^MSGID: .* BODY: late").Count);
        Assert.DoesNotContain("early", lateCounted.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendMessage_sends_to_the_chosen_queue_and_consumeMessage_reads_it_back()
    {
        await cluster.CreateTopicAsync("E2EMsgSend", 2);

        var sent = await RunAsync("admin", "sendMessage", "-t", "E2EMsgSend", "-p", "sent by the verb", "-k", "send-key", "-c", "TagS",
            "-b", "E2EGroup", "-i", "1");
        var sentJson = await RunAsync("admin", "sendMessage", "-t", "E2EMsgSend", "-p", "second", "-b", "E2EGroup", "-i", "1", "--json");
        var consumed = await RunAsync("admin", "consumeMessage", "-t", "E2EMsgSend", "-b", "E2EGroup", "-i", "1", "-g", "e2e-consume-verb");
        var fromOffset = await RunAsync("admin", "consumeMessage", "-t", "E2EMsgSend", "-b", "E2EGroup", "-i", "1", "-o", "1", "--json");
        var capped = await RunAsync("admin", "consumeMessage", "-t", "E2EMsgSend", "-c", "1");

        Assert.Equal(0, sent.ExitCode);
        Assert.Matches(@"#Broker Name\s+#QID\s+#Send Result\s+#MsgId", sent.Output);
        var row = Regex.Match(sent.Output, @"(?m)^E2EGroup\s+1\s+SEND_OK\s+([0-9A-F]{32})\s*$");
        Assert.True(row.Success, sent.Output);
        var stored = await cluster.Admin.QueryMessageByUniqueKeyAsync("E2EMsgSend", row.Groups[1].Value);
        Assert.NotNull(stored);
        Assert.Equal("sent by the verb", Encoding.UTF8.GetString(stored.Body));
        Assert.Equal(("TagS", "send-key", 1), (stored.Tags, stored.Keys, stored.QueueId));

        Assert.Equal(0, sentJson.ExitCode);
        using (var json = JsonDocument.Parse(sentJson.Output))
        {
            Assert.Equal("SEND_OK", json.RootElement.GetProperty("sendStatus").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("queueOffset").GetInt64());
        }

        Assert.Equal(0, consumed.ExitCode);
        Assert.Contains("Consume ok", consumed.Output, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^MSGID: {row.Groups[1].Value} MessageExt \[brokerName=E2EGroup, queueId=1, .* BODY: sent by the verb$", consumed.Output);
        Assert.Matches(@"(?m)^MSGID: .* BODY: second$", consumed.Output);

        Assert.Equal(0, fromOffset.ExitCode);
        using (var json = JsonDocument.Parse(fromOffset.Output))
        {
            Assert.Equal("second", Assert.Single(json.RootElement.EnumerateArray()).GetProperty("body").GetString());
        }

        Assert.Equal(0, capped.ExitCode);
        Assert.Contains("The older 1 message of the ", capped.Output, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(capped.Output, "(?m)^MSGID: "));
    }

    [Theory]
    [InlineData(2, "option --msgId: 'not-an-id' is not a message id", "queryMsgById", "-i", "not-an-id")]
    [InlineData(1, "Topic E2ENoSuchMsgTopic does not exist", "queryMsgByKey", "-t", "E2ENoSuchMsgTopic", "-k", "k")]
    [InlineData(2, "option --offset = '-1': expected an integer between 0", "queryMsgByOffset", "-t", "E2EMsgQuery", "-b", "E2EGroup", "-i", "0", "-o", "-1")]
    [InlineData(2, "option --endTimestamp = '1000' lies before --beginTimestamp = '2000'", "printMsg", "-t", "E2EMsgQuery", "-b", "2000", "-e", "1000")]
    [InlineData(2, "option --beginTimestamp = 'yesterday': expected milliseconds since 1970, or yyyy-MM-dd#HH:mm:ss:SSS", "printMsgByQueue", "-t", "T", "-a", "B", "-i", "0", "-b", "yesterday")]
    [InlineData(2, "option --qid needs --broker", "sendMessage", "-t", "E2EMsgQuery", "-p", "x", "-i", "1")]
    [InlineData(2, "option --offset needs --queueId", "consumeMessage", "-t", "E2EMsgQuery", "-o", "1")]
    [InlineData(2, "option --MessageNumber = '0': expected an integer between 1", "consumeMessage", "-t", "E2EMsgQuery", "-c", "0")]
    [InlineData(1, "Broker NoSuchGroup holds no writable queue of topic E2EMsgQuery", "sendMessage", "-t", "E2EMsgQuery", "-p", "x", "-b", "NoSuchGroup")]
    [InlineData(1, "query message by id 00000000000000000000000000000000 finished, but no message", "queryMsgById", "-i", "00000000000000000000000000000000", "-t", "E2EMsgQuery")]
    public async Task Bad_input_gets_a_one_line_error_and_its_exit_code(int exitCode, string error, params string[] arguments)
    {
        await cluster.CreateTopicAsync("E2EMsgQuery", 2);

        var result = await RunAsync(["admin", .. arguments]);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryMsgByOffset_past_the_end_of_the_queue_names_its_offsets()
    {
        await cluster.CreateTopicAsync("E2EMsgEmpty", 1);

        var result = await RunAsync("admin", "queryMsgByOffset", "-t", "E2EMsgEmpty", "-b", "E2EGroup", "-i", "0", "-o", "5");
        var badQueue = await RunAsync("admin", "queryMsgByOffset", "-t", "E2EMsgEmpty", "-b", "E2EGroup", "-i", "3", "-o", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no message at offset 5 of MessageQueue [topic=E2EMsgEmpty, brokerName=E2EGroup, queueId=0]", result.Error, StringComparison.Ordinal);
        Assert.Contains("min offset 0, max offset 0", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, badQueue.ExitCode);
        Assert.Contains("Queue 3 is not a readable queue of topic E2EMsgEmpty on E2EGroup (queue ids 0..0)", badQueue.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Dispose();

    private static async Task<SendResult> SendAsync(Client.Producer.MQProducer producer, Message message)
    {
        using var deadline = new CancellationTokenSource(E2ECluster.Deadline);
        var result = await producer.SendAsync(message, deadline.Token);
        Assert.Equal(SendStatus.SendOk, result.Status);
        return result;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private Task<RaftMqRun.Result> RunAsync(params string[] arguments) =>
        RaftMqRun.RunAsync(_logs.Path, Deadline, [.. arguments, "-n", cluster.NameServer, "-l", _logs.Path]);
}
