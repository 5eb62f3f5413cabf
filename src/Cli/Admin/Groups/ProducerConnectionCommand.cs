using System.Text;
using RaftMq.Cli.CommandLine;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Groups;

/// <summary><c>raftmq admin producerConnection -g GROUP -t TOPIC</c>: a producer group's online members (code 204) at the
/// masters of the topic, as mqadmin prints them.</summary>
public sealed class ProducerConnectionCommand : AdminCommand
{
    private static readonly OptionSpec GroupOption = OptionSpec.Value("producerGroup", "g", "GROUP", "producer group name (required)");
    private static readonly OptionSpec TopicOption = OptionSpec.Value("topic", "t", "TOPIC", "a topic the group sends to (required)");

    public override string Name => "producerConnection";

    public override string Summary => "a producer group's connections and client versions";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [GroupOption, TopicOption, JsonOption];

    protected override string Notes => "asks the masters of the groups that hold the topic; exit 1 when no member is online there";

    protected override void Validate(ParsedArgs args)
    {
        args.Require(GroupOption.Name);
        args.Require(TopicOption.Name);
    }

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var connection = await admin.GetProducerConnectionAsync(args.Require(GroupOption.Name).Trim(), args.Require(TopicOption.Name).Trim(), context.Stopping)
            .ConfigureAwait(false);
        string text;
        if (args.Has(JsonOption.Name))
        {
            text = ProtocolJson.EncodeToString(connection) + Environment.NewLine;
        }
        else
        {
            var rows = new StringBuilder();
            ConsumerConnectionCommand.AppendConnections(rows, connection.ConnectionSet, "D4");
            text = rows.ToString();
        }
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
