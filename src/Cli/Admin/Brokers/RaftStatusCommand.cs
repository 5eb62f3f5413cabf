using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary>
/// <c>raftmq admin raftStatus -b GROUP</c>: every member of a broker group's Raft group, each as it sees itself
/// (role, term, leader, commit, applied and last index), with the leader's view of each member (match index, lag,
/// last contact). Every node is asked, so a group without a leader can be inspected too.
/// </summary>
public sealed class RaftStatusCommand : AdminCommand
{
    private static readonly OptionSpec BrokerOption = OptionSpec.Value("brokerName", "b", "GROUP", "broker group (brokerName = dLegerGroup), required");

    public override string Name => "raftStatus";

    public override string Summary => "every member's Raft role, term, commit, match and last contact";

    protected override IReadOnlyList<OptionSpec> AdminOptions => [BrokerOption, JsonOption];

    protected override string Notes => "Match, Lag and Contact(ms) are the leader's view; '-' where no leader answered";

    protected override void Validate(ParsedArgs args) => args.Require(BrokerOption.Name);

    protected override async Task<int> RunAsync(MQAdminClient admin, ParsedArgs args, CommandContext context)
    {
        var nodes = await admin.GetRaftStatusAsync(args.Require(BrokerOption.Name), context.Stopping).ConfigureAwait(false);
        string text = args.Has(JsonOption.Name) ? Json(nodes) : Table(nodes);
        await context.Out.WriteAsync(text).ConfigureAwait(false);
        return nodes.Any(node => node.Status is not null) ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string Table(IReadOnlyList<RaftNodeStatus> nodes)
    {
        var leaderView = nodes.Select(node => node.Status).FirstOrDefault(status => status?.Role == "LEADER");
        var table = new TextTable("Node", "Addr", "BID", "Role", "Term", "Leader", "Commit", "Applied", "Last", "Match", "Lag", "Contact(ms)")
            .AlignRight("BID", "Term", "Commit", "Applied", "Last", "Match", "Lag", "Contact(ms)");
        foreach (var node in nodes.OrderBy(n => n.Status?.SelfId ?? n.Address, StringComparer.Ordinal))
        {
            if (node.Status is not { } status)
            {
                table.AddRow("?", node.Address, node.BrokerId, "NO ANSWER", "-", "-", "-", "-", "-", "-", "-", node.Error ?? "");
                continue;
            }
            var seen = leaderView?.Peers.FirstOrDefault(peer => peer.Id == status.SelfId);
            table.AddRow(status.SelfId, node.Address, node.BrokerId, status.HaltReason is null ? status.Role : "HALTED", status.Term,
                status.LeaderId ?? "-", status.CommitIndex, status.AppliedIndex, status.LastIndex,
                Known(seen?.MatchIndex), Known(seen?.MatchLag), Known(seen?.LastContactMs));
        }
        string preferred = nodes.Select(node => node.Status?.PreferredLeaderId).FirstOrDefault(id => id is not null) is { } id
            ? $"preferredLeaderId: {id} (the leader hands leadership back to it once it has caught up){Environment.NewLine}"
            : "";
        return table + preferred;
    }

    private static object Known(long? value) => value is >= 0 ? value.Value : "-";

    private static string Json(IReadOnlyList<RaftNodeStatus> nodes) => JsonOutput.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var node in nodes)
        {
            writer.WriteStartObject();
            writer.WriteString("address", node.Address);
            writer.WriteNumber("brokerId", node.BrokerId);
            if (node.Status is { } status)
            {
                writer.WritePropertyName("status");
                using var document = System.Text.Json.JsonDocument.Parse(ProtocolJson.EncodeToString(status));
                document.WriteTo(writer);
            }
            else
            {
                writer.WriteString("error", node.Error);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });
}
