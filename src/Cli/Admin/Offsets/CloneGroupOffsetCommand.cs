using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Offsets;

/// <summary><c>raftmq admin cloneGroupOffset -s SRC -d DEST -t TOPIC</c>: gives a group another group's committed offsets of a
/// topic, as mqadmin's command of that name.</summary>
public sealed class CloneGroupOffsetCommand : AdminCommand
{
    private static readonly OptionSpec SourceOption = OptionSpec.Value("srcGroup", "s", "GROUP", "group whose offsets are copied (required)");
    private static readonly OptionSpec DestinationOption = OptionSpec.Value("destGroup", "d", "GROUP", "group that gets them (required)");
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic whose queues are copied (required)");
    private static readonly OptionSpec OfflineOption = OptionSpec.Value("offline", "o", "BOOL", "accepted for mqadmin compatibility; changes nothing (mqadmin ignores it too)");

    public override string Name => "cloneGroupOffset";

    public override string Summary => "copy a consumer group's committed offsets of a topic to another group";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [SourceOption, DestinationOption, TopicOption, OfflineOption, JsonOption];

    protected override string Notes => "stop the destination group's consumers first: online ones keep committing their own position";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(SourceOption.Name);
        args.Require(DestinationOption.Name);
        args.Require(TopicOption.Name);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string source = args.Require(SourceOption.Name).Trim();
        string destination = args.Require(DestinationOption.Name).Trim();
        string topic = args.Require(TopicOption.Name).Trim();
        var cloned = await admin.CloneGroupOffsetAsync(source, destination, topic, context.Stopping).ConfigureAwait(false);
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("srcGroup", source);
                writer.WriteString("destGroup", destination);
                writer.WriteString("topic", topic);
                writer.WriteStartArray("offsetTable");
                foreach (var queue in cloned)
                {
                    writer.WriteStartObject();
                    writer.WriteString("brokerName", queue.Queue.BrokerName);
                    writer.WriteNumber("queueId", queue.Queue.QueueId);
                    writer.WriteNumber("offset", queue.ConsumerOffset);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            })
            : $"clone group offset success. srcGroup[{source}], destGroup=[{destination}], topic[{topic}]{Environment.NewLine}";
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
