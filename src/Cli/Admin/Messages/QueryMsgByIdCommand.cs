using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client;
using RaftMq.Client.Admin;

namespace RaftMq.Cli.Admin.Messages;

/// <summary>
/// <c>raftmq admin queryMsgById -i MSGID[,MSGID...]</c>: mqadmin's queryMsgById. An offset message id (what a send
/// returns from RaftMq: store host + CommitLog offset) is read with VIEW_MESSAGE_BY_ID from the storing group; an id
/// that names no stored offset is looked up as a producer id (UNIQ_KEY) in <c>-t TOPIC</c>, or in every topic.
/// </summary>
public sealed class QueryMsgByIdCommand : AdminCommand
{
    private static readonly OptionSpec MsgIdOption = OptionSpec.Value("msgId", "i", "MSGID", "message id, ',' between several (required)");
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "topic to look a producer id (UNIQ_KEY) up in (default: every topic)");
    private static readonly OptionSpec BodyFormatOption = OptionSpec.Value("bodyFormat", "f", "CHARSET", "also print the body decoded in this charset (e.g. UTF-8)");
    private static readonly OptionSpec ResendOption = OptionSpec.Value("sendMessage", "s", "true|false", "true: send the messages again instead (as resendMsgById)");

    public override string Name => "queryMsgById";

    public override string Summary => "print a message by its id: topic, tags, keys, queue, offsets, times, hosts, properties; the body goes to a file";

    protected override IReadOnlyList<OptionSpec> AdminOptions =>
        [MsgIdOption, TopicOption, BodyFormatOption, ConsumeMessageDirectlyCommand.GroupOption, ConsumeMessageDirectlyCommand.ClientOption, ResendOption, JsonOption];

    protected override string Notes => "the body is written to " + MessageOutput.BodyFolder + "/<msgId>, as mqadmin does; " +
        "exit 1 when an id names no stored message. With -g and -d the member consumes the messages instead (as consumeMessageDirectly), " +
        "with -s true they are sent again (as resendMsgById)";

    protected override void Validate(ParsedArgs args)
    {
        foreach (string id in Ids(args))
        {
            if (!IsHexId(id)) throw new UsageException($"option --{MsgIdOption.Name}: '{id}' is not a message id (32 hexadecimal characters)");
        }
        if (args.Has(BodyFormatOption.Name)) MessageOutput.Charset(args, BodyFormatOption);
        if (args.Has(ConsumeMessageDirectlyCommand.GroupOption.Name) != args.Has(ConsumeMessageDirectlyCommand.ClientOption.Name))
        {
            throw new UsageException($"options --{ConsumeMessageDirectlyCommand.GroupOption.Name} and --{ConsumeMessageDirectlyCommand.ClientOption.Name} go together");
        }
        _ = Groups.UpdateSubGroupCommand.Bool(args, ResendOption, false);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        string? group = args.Get(ConsumeMessageDirectlyCommand.GroupOption.Name)?.Trim();
        if (group is not null || (args.Has(ResendOption.Name) && Groups.UpdateSubGroupCommand.Bool(args, ResendOption, false)))
        {
            return await RedeliverAsync(admin, args, group, context).ConfigureAwait(false);
        }
        Encoding? charset = args.Has(BodyFormatOption.Name) ? MessageOutput.Charset(args, BodyFormatOption) : null;
        string? topic = args.Get(TopicOption.Name)?.Trim();
        var found = new List<(MessageExt Message, string BodyPath)>();
        var missing = new List<string>();
        foreach (string id in Ids(args))
        {
            var message = await FindAsync(admin, id, topic, context.Stopping).ConfigureAwait(false);
            if (message is null) missing.Add(id);
            else found.Add((message, MessageOutput.WriteBodyFile(message)));
        }
        if (args.Has(JsonOption.Name))
        {
            await context.Out.WriteAsync(JsonOutput.Write(writer =>
            {
                writer.WriteStartArray();
                foreach (var (message, path) in found) MessageOutput.WriteJson(writer, message, charset ?? Encoding.UTF8, path);
                writer.WriteEndArray();
            })).ConfigureAwait(false);
        }
        else
        {
            foreach (var (message, path) in found)
            {
                await context.Out.WriteAsync(MessageOutput.Detail(message, path, charset)).ConfigureAwait(false);
                await context.Out.WriteLineAsync().ConfigureAwait(false);
            }
        }
        foreach (string id in missing)
        {
            await context.Error.WriteLineAsync($"query message by id {id} finished, but no message{(topic is null ? "" : $" (also not a producer id in topic {topic})")}")
                .ConfigureAwait(false);
        }
        return missing.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>mqadmin's -g/-d (consume directly) and -s true (send again).</summary>
    private async Task<int> RedeliverAsync(MQAdminClient admin, ParsedArgs args, string? group, CommandContext context)
    {
        string? topic = args.Get(TopicOption.Name)?.Trim();
        bool json = args.Has(JsonOption.Name);
        if (group is not null)
        {
            var results = json ? new List<(string Id, Protocol.Bodies.ConsumeMessageDirectlyResult Result)>() : null;
            bool consumed = await MessageRedelivery.ConsumeDirectlyAsync(admin, group, args.Require(ConsumeMessageDirectlyCommand.ClientOption.Name).Trim(),
                Ids(args), topic, context, results).ConfigureAwait(false);
            if (results is not null) await context.Out.WriteAsync(ConsumeMessageDirectlyCommand.Json(results)).ConfigureAwait(false);
            return consumed ? ExitCodes.Success : ExitCodes.Failure;
        }
        using var loggers = CreateLoggerFactory(args, context);
        var sent = await MessageRedelivery.ResendAsync(admin, ResendMsgByIdCommand.ProducerOptions(args), Ids(args), topic, loggers, context, print: !json)
            .ConfigureAwait(false);
        if (json) await context.Out.WriteAsync(ResendMsgByIdCommand.Json(sent)).ConfigureAwait(false);
        return sent.All(s => s.Result.Status == SendStatus.SendOk) ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>An offset id first (a producer id decodes as one too, but names no stored offset), then a producer id.</summary>
    private static async Task<MessageExt?> FindAsync(MQAdminClient admin, string id, string? topic, CancellationToken cancellationToken)
    {
        if (await admin.ViewMessageByOffsetIdAsync(id, cancellationToken).ConfigureAwait(false) is { } stored) return stored;
        IEnumerable<string> topics = topic is not null ? [topic] : await admin.GetTopicListAsync(cancellationToken).ConfigureAwait(false);
        foreach (string candidate in topics)
        {
            try
            {
                if (await admin.QueryMessageByUniqueKeyAsync(candidate, id, cancellationToken).ConfigureAwait(false) is { } message) return message;
            }
            catch (MQClientException) when (topic is null)
            {
                // a topic listed by the name server but without a route (deleted meanwhile): look on
            }
        }
        return null;
    }

    private static IEnumerable<string> Ids(ParsedArgs args) =>
        args.Require(MsgIdOption.Name).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } ids
            ? ids
            : throw new UsageException($"option --{MsgIdOption.Name} needs a message id");

    internal static bool IsHexId(string id) => id.Length == 32 && id.All(Uri.IsHexDigit);
}
