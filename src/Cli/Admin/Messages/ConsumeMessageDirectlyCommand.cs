using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Messages;

/// <summary><c>raftmq admin consumeMessageDirectly -g GROUP -d CLIENTID -i MSGID</c>: mqadmin's <c>queryMsgById -g -d</c> as a verb of
/// its own. The node storing the message passes it (CONSUME_MESSAGE_DIRECTLY 309) to that push consumer, whose listener consumes it
/// wherever its position is; nothing is committed, the consumer's answer is printed.</summary>
public sealed class ConsumeMessageDirectlyCommand : AdminCommand
{
    internal static readonly OptionSpec GroupOption = OptionSpec.Value("consumerGroup", "g", "GROUP", "consumer group name (required)");
    internal static readonly OptionSpec ClientOption = OptionSpec.Value("clientId", "d", "CLIENTID", "the member to consume it (consumerConnection lists them; required)");
    private static readonly OptionSpec MsgIdOption = OptionSpec.Value("msgId", "i", "MSGID", "message id, ',' between several (required)");
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic to look a producer id (UNIQ_KEY) up in");

    public override string Name => "consumeMessageDirectly";

    public override string Summary => "have one push consumer of a group consume a stored message now (its listener's answer is printed)";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [GroupOption, ClientOption, MsgIdOption, TopicOption, JsonOption];

    protected override string Notes => "prints ConsumeMessageDirectlyResult [order=..., autoCommit=..., consumeResult=CR_SUCCESS|CR_LATER|CR_THROW_EXCEPTION, remark=..., spentTimeMills=...] " +
        "per message; exit 1 unless every message was consumed (CR_SUCCESS)";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(GroupOption.Name);
        args.Require(ClientOption.Name);
        _ = Ids(args, MsgIdOption);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        bool json = args.Has(JsonOption.Name);
        var results = json ? new List<(string Id, ConsumeMessageDirectlyResult Result)>() : null;
        bool consumed = await MessageRedelivery.ConsumeDirectlyAsync(admin, args.Require(GroupOption.Name).Trim(), args.Require(ClientOption.Name).Trim(),
            Ids(args, MsgIdOption), args.Get(TopicOption.Name)?.Trim(), context, results).ConfigureAwait(false);
        if (results is not null) await context.Out.WriteAsync(Json(results)).ConfigureAwait(false);
        return consumed ? ExitCodes.Success : ExitCodes.Failure;
    }

    internal static string Json(IEnumerable<(string Id, ConsumeMessageDirectlyResult Result)> results) => JsonOutput.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var (id, result) in results)
        {
            writer.WriteStartObject();
            writer.WriteString("msgId", id);
            writer.WriteBoolean("order", result.Order);
            writer.WriteBoolean("autoCommit", result.AutoCommit);
            writer.WriteString("consumeResult", result.ConsumeResultName);
            writer.WriteString("remark", result.Remark);
            writer.WriteNumber("spentTimeMills", result.SpentTimeMills);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });

    internal static IReadOnlyList<string> Ids(ParsedArgs args, OptionSpec option)
    {
        var ids = args.Require(option.Name).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0) throw new UsageException($"option --{option.Name} needs a message id");
        foreach (string id in ids)
        {
            if (!QueryMsgByIdCommand.IsHexId(id)) throw new UsageException($"option --{option.Name}: '{id}' is not a message id (32 hexadecimal characters)");
        }
        return ids;
    }
}
