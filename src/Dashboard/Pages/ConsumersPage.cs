using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using RaftMq.Dashboard.Cluster;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Dashboard.Html;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>Consumer groups: the list (online clients, TPS, lag), one group's clients, subscription settings and per-queue progress, and offset reset.</summary>
internal static class ConsumersPage
{

    public static async Task<IResult> GetAsync(DashboardServices services, HttpContext http)
    {
        string ms = ((int)services.Options.SampleInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        string list = await ListHtmlAsync(services, http.RequestAborted).ConfigureAwait(false);
        string content = $"<div class=\"card\"><div id=\"consumer-list\" data-refresh-url=\"/fragments/consumers\" data-refresh-ms=\"{ms}\">{list}</div></div>" +
            "<p class=\"muted\">Groups are found through their %RETRY% topics, which brokers create on a group's first heartbeat. TPS comes from the cockpit's sampler.</p>";
        return services.Page("Consumers", "/consumers", content);
    }

    public static async Task<IResult> ListFragmentAsync(DashboardServices services, HttpContext http) =>
        Results.Content(await ListHtmlAsync(services, http.RequestAborted).ConfigureAwait(false), "text/html; charset=utf-8");

    public static async Task<IResult> GroupAsync(DashboardServices services, HttpContext http)
    {
        var errors = new FieldErrors();
        string group = new InputRules(null, http.Request.Query, errors).Group("group");
        if (errors.Any) return services.Page("Consumer group", "/consumers", Notice($"Bad group name: {errors.For("group")}", "error"), 400);
        return await RenderGroupAsync(services, http, group, null, new FieldErrors(), 200).ConfigureAwait(false);
    }

    public static async Task<IResult> ResetAsync(DashboardServices services, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var errors = new FieldErrors();
        var input = new InputRules(form, null, errors);
        string group = input.Group("group");
        string topic = input.Topic("topic");
        var time = input.Time("time");
        int queues = 0;
        if (!errors.Any && await services.ActAsync(http, $"reset offsets of {group} on {topic} to {InputRules.TimeText(time)}", errors, async token =>
                queues = (await services.Cluster.Admin.ResetOffsetByTimeAsync(group, topic, time, token).ConfigureAwait(false)).Count).ConfigureAwait(false))
        {
            return Results.Redirect($"/consumer?group={Q(group)}&done={Q($"Offsets of {group} reset on {queues} queues of {topic} to {InputRules.TimeText(time)} UTC.")}", false);
        }
        return await RenderGroupAsync(services, http, group, form, errors, 400).ConfigureAwait(false);
    }

    private static async Task<string> ListHtmlAsync(DashboardServices services, CancellationToken token)
    {
        var catalog = await services.ReadAsync("the topic list", t => TopicCatalog.LoadAsync(services.Cluster, t), token).ConfigureAwait(false);
        if (!catalog.Ok) return catalog.Failure!;
        var latest = services.Activity.Latest();
        var rows = new List<IReadOnlyList<string>>();
        foreach (string group in catalog.Value!.ConsumerGroups())
        {
            var members = await services.ReadAsync($"the members of {group}", t => services.Cluster.ConsumerConnections.GetAsync(group, t), token).ConfigureAwait(false);
            string lag = latest?.ConsumerLag.TryGetValue(group, out long l) == true ? N(l) : "-";
            string tps = latest?.ConsumerTps.TryGetValue(group, out double r) == true ? Rate(r) : "-";
            var connection = members.Value;
            string online = !members.Ok ? Badge("not reachable", "down") : N(connection?.ConnectionSet.Count ?? 0);
            rows.Add([Link($"/consumer?group={Q(group)}", group), online, tps, $"<span class=\"lag\" data-group=\"{E(group)}\">{lag}</span>",
                connection is null ? "-" : E(ConsumerConnections.TypeName(connection.ConsumeType)),
                connection is null ? "-" : E(ConsumerConnections.ModeName(connection.MessageModel))]);
        }
        return Table("consumer-groups", ["group", "online clients", "consume TPS", "total lag", "type", "mode"], rows, "no consumer group yet");
    }

    /// <summary>The group's subscription settings on the master of every broker group: its own, or the defaults when it has none there.</summary>
    private static async Task<IReadOnlyList<(string BrokerName, SubscriptionGroupConfig Config, bool Own)>> SubscriptionSettingsAsync(
        DashboardServices services, string group, CancellationToken cancellationToken)
    {
        var masters = (await services.Cluster.GetNodesAsync(cancellationToken).ConfigureAwait(false))
            .Where(node => node.BrokerId == 0).DistinctBy(node => node.BrokerName).OrderBy(node => node.BrokerName, StringComparer.Ordinal);
        var settings = new List<(string, SubscriptionGroupConfig, bool)>();
        foreach (var master in masters)
        {
            var all = await services.Cluster.Admin.GetAllSubscriptionGroupsAsync(master.Address, cancellationToken).ConfigureAwait(false);
            settings.Add(all.SubscriptionGroupTable.TryGetValue(group, out var own)
                ? (master.BrokerName, own, true)
                : (master.BrokerName, new SubscriptionGroupConfig { GroupName = group }, false));
        }
        return settings;
    }

    /// <summary>Type, mode, the members (id, address, language, version) and what they subscribe to.</summary>
    private static string ClientsHtml(ConsumerConnection? connection)
    {
        if (connection is null) return "<p class=\"muted\">no consumer of this group is online</p>";
        var html = new StringBuilder("<p id=\"consumer-settings\">type <strong>").Append(E(ConsumerConnections.TypeName(connection.ConsumeType)))
            .Append("</strong>, mode <strong>").Append(E(ConsumerConnections.ModeName(connection.MessageModel))).Append("</strong></p>");
        html.Append(Table("consumer-clients", ["client id", "address", "language", "version"],
            connection.ConnectionSet.OrderBy(c => c.ClientId, StringComparer.Ordinal).Select(c => (IReadOnlyList<string>)[$"<span class=\"mono\">{E(c.ClientId)}</span>",
                $"<span class=\"mono\">{E(c.ClientAddr)}</span>", E(c.Language), E(MQVersion.Describe(c.Version))]).ToList()));
        html.Append(Table("consumer-subscriptions", ["topic", "expression"],
            connection.SubscriptionTable.Values.OrderBy(sub => sub.Topic, StringComparer.Ordinal)
                .Select(sub => (IReadOnlyList<string>)[Link($"/topic?name={Q(sub.Topic)}", sub.Topic), $"<span class=\"mono\">{E(sub.SubString)}</span>"]).ToList(),
            "no subscription"));
        return html.ToString();
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static async Task<IResult> RenderGroupAsync(DashboardServices services, HttpContext http, string group, IFormCollection? form, FieldErrors errors, int statusCode)
    {
        var token = http.RequestAborted;
        var progress = await services.ReadAsync($"the progress of {group}", t => services.Cluster.Admin.GetConsumeStatsAsync(group, cancellationToken: t), token).ConfigureAwait(false);
        var members = await services.ReadAsync($"the members of {group}", t => services.Cluster.ConsumerConnections.GetAsync(group, t), token).ConfigureAwait(false);
        var html = new StringBuilder(Notice(http.Request.Query["done"]));
        html.Append("<div class=\"cards\"><div class=\"card\"><h2>Online clients</h2>").Append(members.Failure ?? ClientsHtml(members.Value)).Append("</div>");
        var settings = await services.ReadAsync($"the subscription settings of {group}", t => SubscriptionSettingsAsync(services, group, t), token).ConfigureAwait(false);
        html.Append("<div class=\"card\"><h2>Subscription config</h2>").Append(settings.Failure ?? Table("subscription-config",
            ["broker group", "settings", "consume enabled", "broadcast allowed", "retry max times", "retry queues"],
            settings.Value!.Select(s => (IReadOnlyList<string>)[E(s.BrokerName), s.Own ? "own" : Badge("defaults", "kind"), YesNo(s.Config.ConsumeEnable),
                YesNo(s.Config.ConsumeBroadcastEnable), N(s.Config.RetryMaxTimes), N(s.Config.RetryQueueNums)]).ToList(), "no broker group has a master"))
            .Append("<p class=\"muted\">GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201) of each group's master when the page loads; change it with raftmq admin updateSubGroup.</p></div></div>");
        html.Append("<div class=\"card\" style=\"margin-top:18px\"><h2>Progress per queue</h2>");
        if (!progress.Ok) html.Append(progress.Failure);
        else
        {
            long total = progress.Value!.Sum(q => q.Lag);
            html.Append("<p>Total lag: <strong id=\"group-total-lag\">").Append(N(total)).Append("</strong></p>");
            html.Append(Table("group-progress", ["topic", "broker", "queue", "broker offset", "consumer offset", "lag"],
                progress.Value!.OrderBy(q => q.Queue.Topic, StringComparer.Ordinal).ThenBy(q => q.Queue.BrokerName, StringComparer.Ordinal).ThenBy(q => q.Queue.QueueId)
                    .Select(q => (IReadOnlyList<string>)[Link($"/topic?name={Q(q.Queue.Topic)}", q.Queue.Topic), E(q.Queue.BrokerName), N(q.Queue.QueueId),
                        N(q.BrokerOffset), N(q.ConsumerOffset), N(q.Lag)]).ToList(), "the group has no offsets or subscriptions"));
        }
        html.Append("</div>");
        var topics = (progress.Value ?? []).Select(q => q.Queue.Topic).Where(t => TopicKinds.GroupOf(t) is null).Distinct().Order(StringComparer.Ordinal).ToList();
        string? V(string name, string? fallback) => form is not null && form.TryGetValue(name, out var v) ? v.ToString() : fallback;
        html.Append("<div class=\"card\"><h2>Reset offset by time</h2>").Append(Form.Open("/consumer/reset", "reset-group-offset")).Append(Form.Hidden("group", group))
            .Append(Form.Select("Topic", "topic", V("topic", topics.FirstOrDefault()), topics.Select(t => (t, t)), errors))
            .Append(Form.Field("Time (UTC)", "time", V("time", InputRules.TimeText(DateTimeOffset.UtcNow.AddHours(-1))), errors, "datetime-local"))
            .Append(Form.Submit("Reset offset", "btn btn-danger")).Append(Form.Close(errors))
            .Append("<p class=\"muted\">Online consumers keep their own position and commit it again: stop them first.</p></div>");
        return services.Page($"Consumer group {group}", "/consumers", html.ToString(), statusCode);
    }
}
