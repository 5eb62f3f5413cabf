using System.Globalization;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Messages;

/// <summary><c>raftmq admin queryMsgByKey -t TOPIC -k KEY [-b BEGIN] [-e END]</c>: mqadmin's queryMsgByKey, the messages
/// of the topic whose KEYS hold KEY (QUERY_MESSAGE on the master of every group of the topic's route).</summary>
public sealed class QueryMsgByKeyCommand : AdminCommand
{
    private static readonly OptionSpec TopicOption = MessageOptions.Topic;
    private static readonly OptionSpec KeyOption = OptionSpec.Value("msgKey", "k", "KEY", "message key (required)");
    private static readonly OptionSpec BeginOption = OptionSpec.Value("beginTimestamp", "b", "TIME",
        $"stored at or after: ms since 1970 or {TimeArgument.DateFormatText} (default: the beginning)");
    private static readonly OptionSpec EndOption = OptionSpec.Value("endTimestamp", "e", "TIME", "stored at or before (default: now and later)");

    public override string Name => "queryMsgByKey";

    public override string Summary => "list the messages of a topic with a key: #Message ID #QID #Offset";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [TopicOption, KeyOption, BeginOption, EndOption, JsonOption];

    protected override string Notes => $"at most {MQAdminClient.QueryMaxNum} hits per broker group are asked for (the broker answers at most 32)";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(TopicOption.Name);
        args.Require(KeyOption.Name);
        TimeArgument.Range(args, BeginOption, EndOption);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string topic = args.Require(TopicOption.Name).Trim();
        string key = args.Require(KeyOption.Name).Trim();
        var (begin, end) = TimeArgument.Range(args, BeginOption, EndOption);
        var messages = await admin.QueryMessagesByKeyAsync(topic, key,
            DateTimeOffset.FromUnixTimeMilliseconds(begin ?? 0), end is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : DateTimeOffset.MaxValue,
            MQAdminClient.QueryMaxNum, uniqueKey: false, context.Stopping).ConfigureAwait(false);
        if (args.Has(JsonOption.Name))
        {
            await context.Out.WriteAsync(JsonOutput.Write(writer =>
            {
                writer.WriteStartArray();
                foreach (var message in messages) MessageOutput.WriteJson(writer, message, bodyCharset: null);
                writer.WriteEndArray();
            })).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"#Message ID",-50} {"#QID",4} {"#Offset",40}").AppendLine();
        foreach (var message in messages)
        {
            text.Append(CultureInfo.InvariantCulture, $"{message.MsgId,-50} {message.QueueId,4} {message.QueueOffset,40}").AppendLine();
        }
        await context.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
