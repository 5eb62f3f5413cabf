using System.Globalization;
using System.Text;
using System.Text.Json;
using RaftMq.Cli.CommandLine;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Cli.Admin.Groups;

/// <summary><c>raftmq admin consumerConnection -g GROUP</c>: a consumer group's online members (code 203), their subscriptions
/// and consume settings, as mqadmin prints them.</summary>
public sealed class ConsumerConnectionCommand : AdminCommand
{
    private static readonly OptionSpec GroupOption = OptionSpec.Value("consumerGroup", "g", "GROUP", "consumer group name (required)");

    public override string Name => "consumerConnection";

    public override string Summary => "a consumer group's connections, client versions and subscriptions";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [GroupOption, JsonOption];

    protected override string Notes => "asks the masters of the groups that hold the group's %RETRY% topic; exit 1 when no member is online";

    protected override void Validate(ParsedArgs args) => args.Require(GroupOption.Name);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var connection = await admin.GetConsumerConnectionAsync(args.Require(GroupOption.Name).Trim(), context.Stopping).ConfigureAwait(false);
        await context.Out.WriteAsync(args.Has(JsonOption.Name) ? ProtocolJson.EncodeToString(connection) + Environment.NewLine : Text(connection))
            .ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Text(ConsumerConnection connection)
    {
        var text = new StringBuilder();
        AppendConnections(text, connection.ConnectionSet, "D3");
        text.AppendLine().AppendLine("Below is subscription:");
        int row = 1;
        foreach (var subscription in connection.SubscriptionTable.Values.OrderBy(s => s.Topic, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{row++:D3}  Topic: {subscription.Topic,-40} SubExpression: {subscription.SubString}").AppendLine();
        }
        // The settings by their wire names (CONSUME_PASSIVELY, CLUSTERING...), as the body spells them.
        using var wire = JsonDocument.Parse(ProtocolJson.EncodeToString(connection));
        text.AppendLine();
        foreach (var (label, property) in (ReadOnlySpan<(string, string)>)[("ConsumeType", "consumeType"), ("MessageModel", "messageModel"), ("ConsumeFromWhere", "consumeFromWhere")])
        {
            text.Append(CultureInfo.InvariantCulture, $"{label}: {wire.RootElement.GetProperty(property).GetString()}").AppendLine();
        }
        return text.ToString();
    }

    /// <summary>mqadmin's connection rows: number, client id, address, language, version name.</summary>
    internal static void AppendConnections(StringBuilder text, IEnumerable<ClientConnection> connections, string numberFormat)
    {
        int row = 1;
        foreach (var connection in connections)
        {
            text.Append(row++.ToString(numberFormat, CultureInfo.InvariantCulture))
                .Append(CultureInfo.InvariantCulture, $"  {connection.ClientId,-32} {connection.ClientAddr,-22} {connection.Language,-8} {MQVersion.Describe(connection.Version)}")
                .AppendLine();
        }
    }
}
