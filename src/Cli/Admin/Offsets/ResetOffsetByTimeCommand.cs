using System.Globalization;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Offsets;

/// <summary>
/// <c>raftmq admin resetOffsetByTime -g GROUP -t TOPIC -s TIME [-f true|false]</c>: moves a consumer group's offsets of
/// every queue of a topic to a time, without restarting its consumers (code 222 on every master; online consumers get
/// RESET_CONSUMER_CLIENT_OFFSET and jump, the offsets of an offline group are written to the log).
/// </summary>
public sealed class ResetOffsetByTimeCommand : AdminCommand
{
    private static readonly OptionSpec GroupOption = OptionSpec.Value("group", "g", "GROUP", "consumer group (required)");
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic (required)");
    private static readonly OptionSpec TimestampOption = OptionSpec.Value("timestamp", "s", "TIME",
        "now, milliseconds since 1970, or yyyy-MM-dd#HH:mm:ss:SSS in local time (required)");
    private static readonly OptionSpec ForceOption = OptionSpec.Value("force", "f", "true|false", "also move queues forwards (default true)");

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    public override string Name => "resetOffsetByTime";

    public override string Summary => "move a consumer group's offsets on a topic to a time, without restarting its consumers";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [GroupOption, TopicOption, TimestampOption, ForceOption, JsonOption];

    protected override string Notes =>
        "each queue moves to the first message stored at or after the time; -f false moves a queue only backwards; " +
        "online .NET consumers of the group jump at once, the offsets of an offline group are committed through the log";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(GroupOption.Name);
        args.Require(TopicOption.Name);
        Timestamp(args);
        Groups.UpdateSubGroupCommand.Bool(args, ForceOption, true);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string group = args.Require(GroupOption.Name).Trim();
        string topic = args.Require(TopicOption.Name).Trim();
        string timestampText = args.Require(TimestampOption.Name).Trim();
        long timestamp = Timestamp(args);
        bool force = Groups.UpdateSubGroupCommand.Bool(args, ForceOption, true);
        var progress = new ResetProgress(ProgressLine.ForError(context.Error, ProgressInterval));
        IReadOnlyList<QueueReset> queues;
        try
        {
            queues = await admin.ResetOffsetByTimeAsync(group, topic, timestamp, force, progress, context.Stopping).ConfigureAwait(false);
        }
        finally
        {
            progress.Line.Complete();
        }
        var sorted = queues.OrderBy(q => q.Queue.BrokerName, StringComparer.Ordinal).ThenBy(q => q.Queue.QueueId).ToList();
        string text = args.Has(JsonOption.Name) ? Json(group, topic, force, timestamp, sorted) : Text(group, topic, force, timestampText, timestamp, sorted);
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>Queues done of all, on stderr (stdout is the result): live on a terminal, redirected a line per interval
    /// once a reset over many broker groups takes that long.</summary>
    private sealed class ResetProgress(ProgressLine line) : IProgress<ResetOffsetProgress>
    {
        public ProgressLine Line => line;

        public void Report(ResetOffsetProgress value) =>
            line.Report(string.Create(CultureInfo.InvariantCulture, $"resetOffsetByTime: {value.QueuesDone}/{value.Queues} queues reset"));
    }

    /// <summary>mqadmin's three forms; "now" is read when the command runs.</summary>
    private static long Timestamp(ParsedArgs args) => TimeArgument.Parse(args, TimestampOption, allowNow: true)
        ?? throw new UsageException($"option --{TimestampOption.Name} is required");

    private static string Text(string group, string topic, bool force, string timestampText, long timestamp, List<QueueReset> queues)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"rollback consumer offset by specified consumerGroup[{group}], topic[{topic}], force[{(force ? "true" : "false")}], timestamp(string)[{timestampText}], timestamp(long)[{timestamp}]")
            .AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"{"#brokerName",-40}  {"#queueId",-40}  {"#offset",-40}").AppendLine();
        foreach (var queue in queues)
        {
            text.Append(CultureInfo.InvariantCulture, $"{queue.Queue.BrokerName,-40}  {queue.Queue.QueueId,-40}  {queue.Offset,-40}").AppendLine();
        }
        return text.ToString();
    }

    private static string Json(string group, string topic, bool force, long timestamp, List<QueueReset> queues) => JsonOutput.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("consumerGroup", group);
        writer.WriteString("topic", topic);
        writer.WriteBoolean("force", force);
        writer.WriteNumber("timestamp", timestamp);
        writer.WriteStartArray("offsetTable");
        foreach (var queue in queues)
        {
            writer.WriteStartObject();
            writer.WriteString("brokerName", queue.Queue.BrokerName);
            writer.WriteNumber("queueId", queue.Queue.QueueId);
            writer.WriteNumber("previousOffset", queue.PreviousOffset);
            writer.WriteNumber("offset", queue.Offset);
            writer.WriteNumber("brokerOffset", queue.BrokerOffset);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
