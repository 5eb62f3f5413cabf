using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Cli.Tools;
using RaftMq.Client;
using RaftMq.Client.Admin;
using RaftMq.Client.Producer;

namespace RaftMq.Cli.Admin.Messages;

/// <summary><c>raftmq admin resendMsgById -i MSGID</c>: mqadmin's <c>queryMsgById -s true</c> as a verb of its own. Reads the stored
/// message and sends it again to its topic (producer group ReSendMsgById): body, tags, keys, properties and the producer id
/// (UNIQ_KEY) stay, so consumers see the same msgId again.</summary>
public sealed class ResendMsgByIdCommand : AdminCommand
{
    private static readonly OptionSpec MsgIdOption = OptionSpec.Value("msgId", "i", "MSGID", "message id, ',' between several (required)");
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic to look a producer id (UNIQ_KEY) up in");

    public override string Name => "resendMsgById";

    public override string Summary => "send a stored message again to its topic (same body, keys, tags, properties and msgId)";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [MsgIdOption, TopicOption, JsonOption];

    protected override string Notes => "prints 'prepare resend msg. originalMsgId=ID' and the SendResult per message; exit 1 when an id names no message or a send is not SEND_OK";

    protected override void Validate(ParsedArgs args) => _ = ConsumeMessageDirectlyCommand.Ids(args, MsgIdOption);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        bool json = args.Has(JsonOption.Name);
        using var loggers = CreateLoggerFactory(args, context);
        var sent = await MessageRedelivery.ResendAsync(admin, ProducerOptions(args), ConsumeMessageDirectlyCommand.Ids(args, MsgIdOption),
            args.Get(TopicOption.Name)?.Trim(), loggers, context, print: !json).ConfigureAwait(false);
        if (json) await context.Out.WriteAsync(Json(sent)).ConfigureAwait(false);
        return sent.All(s => s.Result.Status == SendStatus.SendOk) ? ExitCodes.Success : ExitCodes.Failure;
    }

    internal static ProducerOptions ProducerOptions(ParsedArgs args) => new()
    {
        NameServerAddresses = NameServers(args), Credentials = Credentials(args), Tls = Tls(args),
        InstanceName = MessageRedelivery.NewProducerInstance(), ProducerGroup = MessageRedelivery.ResendProducerGroup,
    };

    internal static string Json(IEnumerable<(string Id, SendResult Result)> sent) => JsonOutput.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var (id, result) in sent)
        {
            writer.WriteStartObject();
            writer.WriteString("originalMsgId", id);
            writer.WriteString("sendStatus", ProduceCommand.StatusName(result.Status));
            writer.WriteString("msgId", result.MsgId);
            writer.WriteString("offsetMsgId", result.OffsetMsgId);
            writer.WriteString("brokerName", result.Queue.BrokerName);
            writer.WriteNumber("queueId", result.Queue.QueueId);
            writer.WriteNumber("queueOffset", result.QueueOffset);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });
}
