using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Messages;

/// <summary><c>raftmq admin queryMsgByUniqueKey -t TOPIC -i MSGID</c>: mqadmin's queryMsgByUniqueKey, the message whose
/// producer id (UNIQ_KEY) is MSGID, found through the broker's key index (QUERY_MESSAGE with uniqueKeyQuery).</summary>
public sealed class QueryMsgByUniqueKeyCommand : AdminCommand
{
    private static readonly OptionSpec MsgIdOption = OptionSpec.Value("msgId", "i", "MSGID", "the producer's message id, UNIQ_KEY (required)");
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic of the message (required)");

    public override string Name => "queryMsgByUniqueKey";

    public override string Summary => "print a message by the id its producer gave it (UNIQ_KEY) within a topic";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [MsgIdOption, TopicOption, JsonOption];

    protected override string Notes => "the body is written to " + MessageOutput.BodyFolder + "/<msgId>; exit 1 when the topic has no such message";

    protected override void Validate(ParsedArgs args)
    {
        string id = args.Require(MsgIdOption.Name).Trim();
        args.Require(TopicOption.Name);
        if (!QueryMsgByIdCommand.IsHexId(id)) throw new UsageException($"option --{MsgIdOption.Name}: '{id}' is not a message id (32 hexadecimal characters)");
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string id = args.Require(MsgIdOption.Name).Trim();
        string topic = args.Require(TopicOption.Name).Trim();
        var message = await admin.QueryMessageByUniqueKeyAsync(topic, id, context.Stopping).ConfigureAwait(false);
        if (message is null)
        {
            await context.Error.WriteLineAsync($"no message with unique key {id} in topic {topic}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        string path = MessageOutput.WriteBodyFile(message);
        string text = args.Has(JsonOption.Name)
            ? JsonOutput.Write(writer => MessageOutput.WriteJson(writer, message, Encoding.UTF8, path))
            : MessageOutput.Detail(message, path, bodyCharset: null, offsetIdLine: false);
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
