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

    public override string Name => "queryMsgById";

    public override string Summary => "print a message by its id: topic, tags, keys, queue, offsets, times, hosts, properties; the body goes to a file";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [MsgIdOption, TopicOption, BodyFormatOption, JsonOption];

    protected override string Notes => "the body is written to " + MessageOutput.BodyFolder + "/<msgId>, as mqadmin does; " +
        "exit 1 when an id names no stored message";

    protected override void Validate(ParsedArgs args)
    {
        foreach (string id in Ids(args))
        {
            if (!IsHexId(id)) throw new UsageException($"option --{MsgIdOption.Name}: '{id}' is not a message id (32 hexadecimal characters)");
        }
        if (args.Has(BodyFormatOption.Name)) MessageOutput.Charset(args, BodyFormatOption);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
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
