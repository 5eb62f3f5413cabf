using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using RaftMq.Client.Admin;
using RaftMq.Dashboard.Html;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>
/// Cluster: every broker group and node with its Raft view, refreshed every <see cref="DashboardOptions.ClusterRefreshInterval"/>;
/// leadership transfer behind a confirmation page.
/// </summary>
internal static class ClusterPage
{
    private const string NoRaftIndexes = "this broker's runtime info carries no Raft commit/applied index (raftCommitIndex, raftAppliedIndex)";
    private const string NoFollowerLag = "the group's leader reports no follower match lag (raftFollower.<id>.matchLag)";
    private const string NoLeaderChange = "this broker reports no leader change time (raftLeaderChangeTimestamp)";

    public static async Task<IResult> GetAsync(DashboardServices services, HttpContext http)
    {
        string ms = ((int)services.Options.ClusterRefreshInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        string done = Notice(http.Request.Query["done"]);
        string nodes = await NodesHtmlAsync(services, http.RequestAborted).ConfigureAwait(false);
        string content = done + $"<div class=\"card\"><div id=\"cluster-nodes\" data-refresh-url=\"/fragments/cluster-nodes\" data-refresh-ms=\"{ms}\">{nodes}</div></div>" +
            "<p class=\"muted\">Role, term, indexes and \"last leader change\" (when the node saw a new leader, by its own clock) come from each node's " +
            "GET_BROKER_RUNTIME_INFO; the arrow is the master change this dashboard saw (it refreshes every " +
            services.Options.ClusterRefreshInterval.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s).</p>";
        return services.Page("Cluster", "/cluster", content);
    }

    public static async Task<IResult> NodesFragmentAsync(DashboardServices services, HttpContext http) =>
        Results.Content(await NodesHtmlAsync(services, http.RequestAborted).ConfigureAwait(false), "text/html; charset=utf-8");

    /// <summary>The confirmation step of a leadership transfer.</summary>
    public static IResult ConfirmTransfer(DashboardServices services, HttpContext http)
    {
        var errors = new FieldErrors();
        var input = new InputRules(null, http.Request.Query, errors);
        string group = input.Group("group");
        string target = input.Required("target", "node id", 64);
        if (errors.Any) return services.Page("Transfer leadership", "/cluster", Notice(string.Join("; ", "the group and target node are required"), "error"), 400);
        var html = new StringBuilder("<div class=\"card confirm\">");
        html.Append("<p>Hand the Raft leadership (the master role) of group <strong>").Append(E(group)).Append("</strong> to node <strong>").Append(E(target))
            .Append("</strong>? Producers and consumers of this group see a short pause while clients follow the new master.</p>");
        html.Append(Form.Open("/cluster/transfer", "transfer-form")).Append(Form.Hidden("group", group)).Append(Form.Hidden("target", target))
            .Append(Form.Submit("Transfer leadership", "btn btn-danger")).Append(" <a class=\"btn btn-secondary\" href=\"/cluster\">Cancel</a>").Append(Form.Close(errors));
        return services.Page("Transfer leadership", "/cluster", html.Append("</div>").ToString());
    }

    public static async Task<IResult> TransferAsync(DashboardServices services, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var errors = new FieldErrors();
        var input = new InputRules(form, null, errors);
        string group = input.Group("group");
        string target = input.Required("target", "node id", 64);
        if (!errors.Any && await services.ActAsync(http, $"transfer leadership of {group} to {target}", errors,
                token => services.Cluster.Admin.TransferLeadershipAsync(group, target, token)).ConfigureAwait(false))
        {
            services.Cluster.Invalidate();
            return Results.Redirect($"/cluster?done={Q($"Leadership transfer of {group} to {target} started; the table shows the new leader when it has taken over.")}", false);
        }
        return services.Page("Transfer leadership", "/cluster", Notice(errors.General ?? "the group and target node are required", "error"), 400);
    }

    private static async Task<string> NodesHtmlAsync(DashboardServices services, CancellationToken cancellationToken)
    {
        var read = await services.ReadAsync("the cluster overview", services.Cluster.GetNodesAsync, cancellationToken).ConfigureAwait(false);
        if (!read.Ok) return read.Failure!;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var group in read.Value!.GroupBy(n => (n.ClusterName, n.BrokerName)))
        {
            var leader = services.Cluster.Leaders.Find(group.Key.BrokerName);
            foreach (var node in group.OrderBy(n => Info(n, "raftSelfId") ?? n.Address, StringComparer.Ordinal))
            {
                rows.Add(Row(group.Key.ClusterName, group.Key.BrokerName, node, group.ToList(), leader));
            }
            foreach (string missing in UnregisteredMembers(group.ToList()))
            {
                rows.Add(UnregisteredRow(group.Key.ClusterName, group.Key.BrokerName, missing, group.ToList()));
            }
        }
        return Table("nodes", ["cluster", "group", "node", "address", "broker id", "raft role", "term", "commit index", "applied index", "follower lag",
            "last leader change", "put / get since boot", "version", ""], rows, "no broker registered with the name servers");
    }

    private static IReadOnlyList<string> Row(string cluster, string group, BrokerNodeInfo node, List<BrokerNodeInfo> members, Cluster.GroupLeader? leader)
    {
        string self = Info(node, "raftSelfId") ?? "?";
        if (node.RuntimeInfo is null)
        {
            return [E(cluster), E(group), E(self), E(node.Address), N(node.BrokerId), Badge("not reachable", "down"), "-", "-", "-", "-", "-", "-", "-", ""];
        }
        string role = Info(node, "raftRole") ?? "?";
        string roleBadge = Badge(role, role switch { "LEADER" => "leader", "FOLLOWER" => "follower", _ => "candidate" });
        string change = LeaderChange(node) + (leader?.LastChange is not null ? $" <span class=\"muted\">({E(leader.Previous)} → {E(leader.Current)})</span>" : "");
        string action = role == "LEADER" ? "" : members.Any(m => Info(m, "raftRole") == "LEADER")
            ? $"<a class=\"btn btn-small btn-secondary\" href=\"/cluster/transfer?group={Q(group)}&amp;target={Q(self)}\">make leader</a>"
            : "";
        return
        [
            E(cluster), E(group), $"<strong>{E(self)}</strong>", $"<span class=\"mono\">{E(node.Address)}</span>", N(node.BrokerId), roleBadge,
            E(Info(node, "raftTerm")), Index(node, "raftCommitIndex"), Index(node, "raftAppliedIndex"), FollowerLag(self, role, members), change,
            $"{N(CockpitPage.Counter(node, "msgPutTotalSinceBoot"))} / {N(CockpitPage.Counter(node, "msgGetTotalSinceBoot"))}",
            E(Info(node, "brokerVersionDesc")), action,
        ];
    }

    private static string? Info(BrokerNodeInfo node, string key) => node.RuntimeInfo?.GetValueOrDefault(key);

    /// <summary>Members of the Raft group (as its answering nodes list them, <c>raftPeers</c>) that no registered node is:
    /// a killed or stopped node leaves the name servers at once, but stays a member and should stay on the page.</summary>
    private static IEnumerable<string> UnregisteredMembers(List<BrokerNodeInfo> registered)
    {
        var present = registered.Select(n => Info(n, "raftSelfId")).Where(id => id is not null).ToHashSet(StringComparer.Ordinal);
        return registered
            .SelectMany(n => (Info(n, "raftPeers") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .Where(id => !present.Contains(id))
            .Order(StringComparer.Ordinal);
    }

    private static IReadOnlyList<string> UnregisteredRow(string cluster, string group, string self, List<BrokerNodeInfo> members) =>
    [
        E(cluster), E(group), $"<strong>{E(self)}</strong>", "<span class=\"muted\">not registered</span>", "-",
        Badge("down: not registered with the name servers", "down"), "-", "-", "-", FollowerLag(self, "", members), "-", "-", "-", "",
    ];

    /// <summary>When the node last saw a new leader (its own clock), with the Unix milliseconds for scripts and tests.</summary>
    private static string LeaderChange(BrokerNodeInfo node) =>
        long.TryParse(Info(node, "raftLeaderChangeTimestamp"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms) && ms > 0
            ? $"<span class=\"leader-change\" data-ms=\"{ms.ToString(CultureInfo.InvariantCulture)}\">{Time(ms)}</span>"
            : Unavailable(NoLeaderChange);

    private static string Index(BrokerNodeInfo node, string key) =>
        long.TryParse(Info(node, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? N(value) : Unavailable(NoRaftIndexes);

    /// <summary>How many entries the follower's log is behind the leader's, as the leader reports it; "-" for the leader itself.</summary>
    private static string FollowerLag(string self, string role, List<BrokerNodeInfo> members)
    {
        if (role == "LEADER") return "-";
        var leader = members.FirstOrDefault(m => Info(m, "raftRole") == "LEADER");
        string? lag = leader is null ? null : Info(leader, $"raftFollower.{self}.matchLag");
        return long.TryParse(lag, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && value >= 0 ? N(value) : Unavailable(NoFollowerLag);
    }
}
