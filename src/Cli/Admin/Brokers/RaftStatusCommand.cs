using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Output;
using RaftMq.Client.Admin;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Cli.Admin.Brokers;

/// <summary>
/// <c>raftmq admin raftStatus -b GROUP</c>: every member of a broker group's Raft group, each as it sees itself
/// (role, term, leader, commit, applied and last index), with the leader's view of each member (match index, lag,
/// last contact) and its membership (voter or learner). Every node is asked, so a group without a leader can be
/// inspected too; members that the leader lists but that did not answer (a learner still starting) are shown too.
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
        var configuration = leaderView ?? nodes.Select(node => node.Status).Where(status => status is not null)
            .OrderByDescending(status => status!.MembershipIndex).FirstOrDefault();
        var table = new TextTable("Node", "Addr", "BID", "Member", "Role", "Term", "Leader", "Commit", "Applied", "Last", "Match", "Lag", "Contact(ms)")
            .AlignRight("BID", "Term", "Commit", "Applied", "Last", "Match", "Lag", "Contact(ms)");
        foreach (var node in nodes.OrderBy(n => n.Status?.SelfId ?? n.Address, StringComparer.Ordinal))
        {
            if (node.Status is not { } status)
            {
                table.AddRow("?", node.Address, node.BrokerId, "?", "NO ANSWER", "-", "-", "-", "-", "-", "-", "-", node.Error ?? "");
                continue;
            }
            var seen = leaderView?.Peers.FirstOrDefault(peer => peer.Id == status.SelfId);
            table.AddRow(status.SelfId, node.Address, node.BrokerId, MemberKind(configuration, status.SelfId),
                status.HaltReason is null ? status.Role : "HALTED", status.Term,
                status.LeaderId ?? "-", status.CommitIndex, status.AppliedIndex, status.LastIndex,
                Known(seen?.MatchIndex), Known(seen?.MatchLag), Known(seen?.LastContactMs));
        }
        var answered = nodes.Select(node => node.Status?.SelfId).Where(id => id is not null).ToHashSet(StringComparer.Ordinal);
        foreach (var peer in configuration?.Peers.Where(peer => !answered.Contains(peer.Id)) ?? [])
        {
            // Listed by the configuration but not registered with the name servers (starting, catching up, or down).
            var seen = leaderView?.Peers.FirstOrDefault(p => p.Id == peer.Id);
            table.AddRow(peer.Id, peer.Address.Length > 0 ? peer.Address : "-", "-", MemberKind(configuration, peer.Id), "NOT REGISTERED",
                "-", "-", "-", "-", "-", Known(seen?.MatchIndex), Known(seen?.MatchLag), Known(seen?.LastContactMs));
        }
        string preferred = nodes.Select(node => node.Status?.PreferredLeaderId).FirstOrDefault(id => id is not null) is { } id
            ? $"preferredLeaderId: {id} (the leader hands leadership back to it once it has caught up){Environment.NewLine}"
            : "";
        string membership = configuration is null ? ""
            : $"configuration at index {configuration.MembershipIndex}{(configuration.MembershipIndex == 0 ? " (dLegerPeers, never changed)" : "")}: " +
              $"voters {string.Join(",", configuration.Peers.Where(p => !p.Learner).Select(p => p.Id))}" +
              (configuration.Peers.Any(p => p.Learner) ? $"; learners {string.Join(",", configuration.Peers.Where(p => p.Learner).Select(p => p.Id))}" : "") +
              Environment.NewLine;
        return table + membership + preferred;
    }

    /// <summary>voter, learner, or "removed" for a node the configuration no longer lists.</summary>
    private static string MemberKind(RaftStatusBody? configuration, string id) =>
        configuration?.Peers.FirstOrDefault(peer => peer.Id == id) is { } peer ? peer.Learner ? "learner" : "voter"
        : configuration is null ? "?" : "removed";

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
