using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using RaftMq.Client.Admin;
using RaftMq.Dashboard.Activity;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>Cockpit: produce/consume rates per broker group, topic and consumer group over the recent history, live; totals.</summary>
internal static class CockpitPage
{
    private const string NoDailyTotals = "no broker reports daily totals (msgPutTotalTodayMorning/YesterdayMorning)";

    public static async Task<IResult> GetAsync(DashboardServices services, HttpContext http)
    {
        var nodes = await services.ReadAsync("the cluster overview", services.Cluster.GetNodesAsync, http.RequestAborted).ConfigureAwait(false);
        var html = new StringBuilder();
        int intervalMs = (int)services.Options.SampleInterval.TotalMilliseconds;
        html.Append("<div id=\"cockpit\" data-interval-ms=\"").Append(intervalMs.ToString(CultureInfo.InvariantCulture)).Append("\">");
        html.Append("<p class=\"split\"><span id=\"cockpit-status\" class=\"badge badge-ok\">waiting for the first sample</span><span class=\"muted\">one sample every ")
            .Append(services.Options.SampleInterval.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)).Append(" s, last ")
            .Append(services.Options.History.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)).Append(" minutes</span></p>");
        html.Append("<div id=\"cockpit-totals\" data-refresh-url=\"/fragments/cockpit-totals\" data-refresh-ms=\"").Append(intervalMs.ToString(CultureInfo.InvariantCulture))
            .Append("\">").Append(nodes.Failure ?? Totals(nodes.Value!)).Append("</div>");
        html.Append("<div class=\"cards\">");
        Chart(html, "chart-group-put", "Produce TPS per broker group");
        Chart(html, "chart-group-get", "Consume (pull) TPS per broker group");
        Chart(html, "chart-topic-put", "Produce TPS per topic");
        Chart(html, "chart-topic-get", "Consume TPS per topic (all its groups)");
        Chart(html, "chart-consumer", "Consume TPS per consumer group");
        html.Append("</div>");
        html.Append("<div class=\"card\" style=\"margin-top:18px\"><h2>Current rates and lag</h2><div id=\"cockpit-rates\" data-refresh-url=\"/fragments/cockpit-rates\" data-refresh-ms=\"")
            .Append(intervalMs.ToString(CultureInfo.InvariantCulture)).Append("\">").Append(Rates(services.Activity.Latest())).Append("</div></div></div>");
        return services.Page("Cockpit", "/", html.ToString(), charts: true);
    }

    public static async Task<IResult> TotalsFragmentAsync(DashboardServices services, HttpContext http)
    {
        var nodes = await services.ReadAsync("the cluster overview", services.Cluster.GetNodesAsync, http.RequestAborted).ConfigureAwait(false);
        return Results.Content(nodes.Failure ?? Totals(nodes.Value!), "text/html; charset=utf-8");
    }

    public static IResult RatesFragment(DashboardServices services) =>
        Results.Content(Rates(services.Activity.Latest()), "text/html; charset=utf-8");

    /// <summary>The history as JSON for the charts: Unix seconds and per-series rates.</summary>
    public static IResult Activity(DashboardServices services) =>
        Results.Json(new
        {
            intervalSeconds = services.Options.SampleInterval.TotalSeconds,
            samples = services.Activity.Snapshot().Select(s => new
            {
                at = s.At.ToUnixTimeMilliseconds() / 1000.0,
                reachable = s.ClusterReachable,
                groupPut = s.GroupPutTps, groupGet = s.GroupGetTps, topicPut = s.TopicPutTps, topicGet = s.TopicGetTps, consumer = s.ConsumerTps, lag = s.ConsumerLag,
            }),
        });

    private static string Totals(IReadOnlyList<BrokerNodeInfo> nodes)
    {
        long put = nodes.Sum(n => Counter(n, "msgPutTotalSinceBoot"));
        long get = nodes.Sum(n => Counter(n, "msgGetTotalSinceBoot"));
        int groups = nodes.Select(n => n.BrokerName).Distinct().Count();
        int down = nodes.Count(n => n.RuntimeInfo is null);
        var html = new StringBuilder("<div class=\"stats\">");
        Stat(html, "Broker groups", N(groups));
        Stat(html, "Nodes (not answering)", $"{N(nodes.Count)} ({N(down)})");
        Stat(html, "Put since boot", N(put), "stat-put-total");
        Stat(html, "Got since boot", N(get), "stat-get-total");
        var daily = DailyTotals(nodes);
        Stat(html, "Put today / yesterday", daily is { } d ? $"{N(d.PutToday)} / {N(d.PutYesterday)}" : Unavailable(NoDailyTotals), "stat-put-daily");
        Stat(html, "Got today / yesterday", daily is { } g ? $"{N(g.GetToday)} / {N(g.GetYesterday)}" : Unavailable(NoDailyTotals), "stat-get-daily");
        return html.Append("</div>").ToString();
    }

    /// <summary>
    /// Today (since the brokers' last local midnight) and yesterday, summed over the nodes that answer, from the counters
    /// every node records at midnight (RocketMQ's msgPutTotalTodayNow - TodayMorning and TodayMorning - YesterdayMorning).
    /// Node counters start at 0 when the node starts, so a node that was down or restarted counts less; null when no node reports them.
    /// </summary>
    internal static (long PutToday, long PutYesterday, long GetToday, long GetYesterday)? DailyTotals(IReadOnlyList<BrokerNodeInfo> nodes)
    {
        var reporting = nodes.Where(n => n.RuntimeInfo?.ContainsKey("msgPutTotalTodayMorning") == true).ToList();
        if (reporting.Count == 0) return null;
        return (reporting.Sum(n => Counter(n, "msgPutTotalTodayNow") - Counter(n, "msgPutTotalTodayMorning")),
            reporting.Sum(n => Counter(n, "msgPutTotalTodayMorning") - Counter(n, "msgPutTotalYesterdayMorning")),
            reporting.Sum(n => Counter(n, "msgGetTotalTodayNow") - Counter(n, "msgGetTotalTodayMorning")),
            reporting.Sum(n => Counter(n, "msgGetTotalTodayMorning") - Counter(n, "msgGetTotalYesterdayMorning")));
    }

    private static string Rates(ActivitySample? sample)
    {
        if (sample is null) return "<p class=\"muted\">waiting for the first sample</p>";
        if (!sample.ClusterReachable) return NotReachable("the cluster's counters", "the last sample failed");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (group, tps) in sample.GroupPutTps) rows.Add([Badge("broker group", "kind"), E(group), Rate(tps), Rate(sample.GroupGetTps.GetValueOrDefault(group)), "-"]);
        foreach (var (topic, tps) in sample.TopicPutTps)
        {
            string consumed = sample.TopicGetTps.TryGetValue(topic, out double got) ? Rate(got) : "-";
            rows.Add([Badge("topic", "kind"), Link($"/topic?name={Q(topic)}", topic), Rate(tps), consumed, "-"]);
        }
        foreach (var (group, tps) in sample.ConsumerTps)
        {
            rows.Add([Badge("consumer group", "kind"), Link($"/consumer?group={Q(group)}", group), "-", Rate(tps), N(sample.ConsumerLag.GetValueOrDefault(group))]);
        }
        return Table("rates", ["kind", "name", "produce TPS", "consume TPS", "lag"], rows, "no topics or groups yet");
    }

    private static void Chart(StringBuilder html, string id, string title) =>
        html.Append("<div class=\"card\"><h2>").Append(E(title)).Append("</h2><div class=\"chart\" id=\"").Append(id).Append("\"></div></div>");

    private static void Stat(StringBuilder html, string label, string valueHtml, string? id = null) =>
        html.Append("<div class=\"stat\"").Append(id is null ? "" : $" id=\"{id}\"").Append("><div class=\"label\">").Append(E(label))
            .Append("</div><div class=\"value\">").Append(valueHtml).Append("</div></div>");

    internal static long Counter(BrokerNodeInfo node, string key) =>
        long.TryParse(node.RuntimeInfo?.GetValueOrDefault(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : 0;
}
