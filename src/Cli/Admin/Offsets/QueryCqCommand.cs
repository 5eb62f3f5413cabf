using System.Globalization;
using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Offsets;

/// <summary><c>raftmq admin queryCq -t TOPIC -q QUEUE -i INDEX [-c COUNT] [-b ADDR] [-g GROUP]</c>: mqadmin's queryCq, the
/// ConsumeQueue units of one queue from an index (QUERY_CONSUME_QUEUE 321): CommitLog offset, size, tag hash and, RaftMq's
/// addition, the store time; with <c>-g</c> the group's subscription and whether it accepts each unit.</summary>
public sealed class QueryCqCommand : AdminCommand
{
    private const string Separator = "======================================";

    /// <summary>What the broker answers at most per request.</summary>
    private const int MaxCount = 1000;
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic (required)");
    private static readonly OptionSpec QueueOption = OptionSpec.Value("queue", "q", "ID", "queue id (required)");
    private static readonly OptionSpec IndexOption = OptionSpec.Value("index", "i", "INDEX", "first unit (queue offset) to print (required)");
    private static readonly OptionSpec CountOption = OptionSpec.Value("count", "c", "N",
        $"how many units (default 10, at most {MaxCount})");
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("broker", "b", "ADDR", "broker node to ask (default: the master of the topic's first broker group)");
    private static readonly OptionSpec GroupOption = OptionSpec.Value("consumer", "g", "GROUP", "consumer group whose subscription to evaluate against each unit");

    public override string Name => "queryCq";

    public override string Summary => "print the ConsumeQueue units of a queue: CommitLog offset, size, tag hash, store time";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [TopicOption, QueueOption, IndexOption, CountOption, BrokerOption, GroupOption, JsonOption];

    protected override string Notes => "any replica answers with the same units (the queues are built from the Raft log); " +
        "exit 1 when the index lies outside the queue's [min, max)";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(TopicOption.Name);
        args.Require(QueueOption.Name);
        args.Require(IndexOption.Name);
        args.GetInt(QueueOption.Name, 0, min: 0);
        args.GetLong(IndexOption.Name, 0, min: 0);
        args.GetInt(CountOption.Name, 10, min: 1, max: MaxCount);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string topic = args.Require(TopicOption.Name).Trim();
        int queueId = args.GetInt(QueueOption.Name, 0, min: 0);
        long index = args.GetLong(IndexOption.Name, 0, min: 0);
        int count = args.GetInt(CountOption.Name, 10, min: 1, max: MaxCount);
        string broker = args.Get(BrokerOption.Name)?.Trim() ?? await admin.FirstMasterOfTopicAsync(topic, context.Stopping).ConfigureAwait(false);
        var body = await admin.QueryConsumeQueueAsync(broker, topic, queueId, index, count, args.Get(GroupOption.Name)?.Trim(), context.Stopping)
            .ConfigureAwait(false);
        if (body.QueueData is not { Count: > 0 })
        {
            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Index {index} of {queueId}@{topic} is not exist! (units {body.MinQueueIndex}..{body.MaxQueueIndex - 1} at {broker})")).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        string text = args.Has(JsonOption.Name) ? JsonOutput.Indent(Encoding.UTF8.GetString(ProtocolJson.Encode(body))) : Text(body, index);
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Text(QueryConsumeQueueResponseBody body, long index)
    {
        var text = new StringBuilder();
        if (body.SubscriptionData is { } subscription)
        {
            text.Append("Subscription data: ").AppendLine().Append(SubscriptionText(subscription)).AppendLine().AppendLine(Separator);
        }
        if (body.FilterData is { } filter) text.Append("Filter data: ").AppendLine().AppendLine(filter).AppendLine(Separator);
        text.Append("Queue data: ").AppendLine().Append(CultureInfo.InvariantCulture, $"max: {body.MaxQueueIndex}, min: {body.MinQueueIndex}").AppendLine()
            .AppendLine(Separator);
        long at = index;
        foreach (var unit in body.QueueData ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"idx: {at++}").AppendLine();
            text.Append(CultureInfo.InvariantCulture,
                $"ConsumeQueueData{{physicOffset={unit.PhysicOffset}, physicSize={unit.PhysicSize}, tagsCode={unit.TagsCode}, extendDataJson='{unit.ExtendDataJson ?? "null"}', " +
                $"bitMap='{unit.BitMap ?? "null"}', eval={(unit.Eval ? "true" : "false")}, msg='{unit.Msg ?? "null"}', storeTimestamp={unit.StoreTimestamp}}}").AppendLine();
            text.AppendLine(Separator);
        }
        return text.ToString();
    }

    /// <summary>The subscription as mqadmin prints it (fastjson, indented), without the trailing newline.</summary>
    private static string SubscriptionText(SubscriptionData subscription) => JsonOutput.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("classFilterMode", subscription.ClassFilterMode);
        writer.WriteStartArray("codeSet");
        foreach (int code in subscription.CodeSet) writer.WriteNumberValue(code);
        writer.WriteEndArray();
        writer.WriteString("expressionType", subscription.ExpressionType ?? "TAG");
        writer.WriteString("subString", subscription.SubString);
        writer.WriteNumber("subVersion", subscription.SubVersion);
        writer.WriteStartArray("tagsSet");
        foreach (string tag in subscription.TagsSet) writer.WriteStringValue(tag);
        writer.WriteEndArray();
        writer.WriteString("topic", subscription.Topic);
        writer.WriteEndObject();
    }).TrimEnd();
}
