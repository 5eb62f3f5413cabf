using System.Text;
using Microsoft.AspNetCore.Http;
using RaftMq.Client.Admin;
using RaftMq.Dashboard.Cluster;
using RaftMq.Dashboard.Html;
using RaftMq.Protocol.Bodies;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>One topic: route, per-queue status, the groups consuming it, and its actions (see <see cref="TopicActions"/>).</summary>
internal static class TopicPage
{
    public static async Task<IResult> GetAsync(DashboardServices services, HttpContext http)
    {
        var errors = new FieldErrors();
        string topic = new InputRules(null, http.Request.Query, errors).Topic("name");
        if (errors.Any) return services.Page("Topic", "/topics", Notice($"Bad topic name: {errors.For("name")}", "error"), 400);
        return await RenderAsync(services, http, topic, new TopicForms(), 200).ConfigureAwait(false);
    }

    internal static async Task<IResult> RenderAsync(DashboardServices services, HttpContext http, string topic, TopicForms forms, int statusCode)
    {
        var token = http.RequestAborted;
        var route = await services.ReadAsync($"the route of {topic}", t => services.Cluster.Admin.FindTopicRouteAsync(topic, t), token).ConfigureAwait(false);
        var html = new StringBuilder(Notice(http.Request.Query["done"]));
        if (!route.Ok) return services.Page($"Topic {topic}", "/topics", html.Append(route.Failure).ToString(), statusCode);
        if (route.Value is null)
        {
            return services.Page($"Topic {topic}", "/topics", html.Append(Notice($"Topic {topic} does not exist (no name server has a route for it).", "warn")).ToString(), 404);
        }
        var status = await services.ReadAsync($"the queues of {topic}", t => services.Cluster.Admin.GetTopicQueueStatusAsync(topic, t), token).ConfigureAwait(false);
        var catalog = await services.ReadAsync("the topic list", t => TopicCatalog.LoadAsync(services.Cluster, t), token).ConfigureAwait(false);
        var nodes = await services.ReadAsync("the cluster overview", services.Cluster.GetNodesAsync, token).ConfigureAwait(false);
        var consumers = await ConsumersAsync(services, topic, catalog.Value, token).ConfigureAwait(false);
        var current = await CurrentSettingsAsync(services, topic, route.Value, token).ConfigureAwait(false);

        html.Append("<div class=\"cards\"><div class=\"card\"><h2>Route</h2>").Append(Route(route.Value)).Append("</div>");
        html.Append("<div class=\"card\"><h2>Send a test message</h2>").Append(SendForm(topic, forms)).Append("</div></div>");
        html.Append("<div class=\"card\" style=\"margin-top:18px\"><h2>Queues</h2>").Append(status.Failure ?? Queues(status.Value!)).Append("</div>");
        html.Append("<div class=\"card\"><h2>Consumers of this topic</h2>").Append(consumers).Append("</div>");
        html.Append("<div class=\"cards\"><div class=\"card\"><h2>Reset a group's offset by time</h2>")
            .Append(ResetForm(topic, catalog.Value?.ConsumerGroups() ?? [], forms)).Append("</div>");
        html.Append("<div class=\"card\"><h2>Update</h2>").Append(TopicsPage.CreateForm(nodes.Value, forms.Update, forms.Posted, current))
            .Append("<p style=\"margin-top:14px\"><a class=\"btn btn-danger\" id=\"delete-topic\" href=\"/topic/delete?name=").Append(Q(topic))
            .Append("\">Delete topic…</a></p></div></div>");
        return services.Page($"Topic {topic}", "/topics", html.ToString(), statusCode);
    }

    /// <summary>The topic's settings as the first group's master stores them (defaults when it cannot be read).</summary>
    private static async Task<TopicSettings> CurrentSettingsAsync(DashboardServices services, string topic, TopicRouteData route, CancellationToken token)
    {
        var fallback = new TopicSettings { Topic = topic };
        if (route.BrokerDatas.OrderBy(b => b.BrokerName, StringComparer.Ordinal).Select(b => b.MasterAddress()).FirstOrDefault(a => a is not null) is not { } master) return fallback;
        var configs = await services.ReadAsync($"the config of {topic}", t => services.Cluster.Admin.GetTopicConfigsAsync(master, t), token).ConfigureAwait(false);
        return configs.Value?.FirstOrDefault(c => c.Name == topic) is { } c
            ? new TopicSettings { Topic = topic, ReadQueueNums = c.ReadQueueNums, WriteQueueNums = c.WriteQueueNums, Perm = c.Perm, Order = c.Order }
            : fallback;
    }

    private static string Route(TopicRouteData route)
    {
        var brokers = route.BrokerDatas.OrderBy(b => b.BrokerName, StringComparer.Ordinal)
            .Select(b => (IReadOnlyList<string>)[E(b.Cluster), E(b.BrokerName), E(string.Join(", ", b.BrokerAddrs.Select(a => $"{a.Key}={a.Value}")))]);
        var queues = route.QueueDatas.OrderBy(q => q.BrokerName, StringComparer.Ordinal)
            .Select(q => (IReadOnlyList<string>)[E(q.BrokerName), N(q.ReadQueueNums), N(q.WriteQueueNums), N(q.Perm)]);
        return Table("route-brokers", ["cluster", "group", "addresses (broker id = address)"], brokers.ToList()) +
            Table("route-queues", ["group", "read queues", "write queues", "perm"], queues.ToList());
    }

    private static string Queues(IReadOnlyList<QueueStatus> queues) =>
        Table("queue-status", ["group", "queue", "min offset", "max offset", "messages", "last update (UTC)"],
            queues.Select(q => (IReadOnlyList<string>)[E(q.Queue.BrokerName), N(q.Queue.QueueId), N(q.MinOffset), N(q.MaxOffset), N(q.MaxOffset - q.MinOffset),
                Time(q.LastUpdateTimestamp)]).ToList(), "no queue");

    /// <summary>Every known consumer group with offsets or a subscription on this topic, per queue, with its online clients.</summary>
    private static async Task<string> ConsumersAsync(DashboardServices services, string topic, TopicCatalog? catalog, CancellationToken token)
    {
        if (catalog is null) return NotReachable("the consumer groups", "the topic list could not be read");
        var rows = new List<IReadOnlyList<string>>();
        foreach (string group in catalog.ConsumerGroups().Take(services.Options.MaxSampledSeries))
        {
            var progress = await services.ReadAsync($"the progress of {group}", t => services.Cluster.Admin.GetConsumeStatsAsync(group, topic, t), token).ConfigureAwait(false);
            if (progress.Value is not { Count: > 0 } queues) continue;
            var clients = await services.ReadAsync($"the clients of {group}", t => services.Cluster.Admin.GetConsumerClientIdsAsync(group, t), token).ConfigureAwait(false);
            string clientText = clients.Value is { Count: > 0 } ids ? string.Join(", ", ids) : "none online";
            foreach (var q in queues)
            {
                rows.Add([Link($"/consumer?group={Q(group)}", group), E(q.Queue.BrokerName), N(q.Queue.QueueId), N(q.BrokerOffset), N(q.ConsumerOffset), N(q.Lag),
                    $"<span class=\"mono\">{E(clientText)}</span>"]);
            }
        }
        return Table("topic-consumers", ["group", "broker", "queue", "broker offset", "consumer offset", "lag", "clients"], rows, "no group consumes this topic");
    }

    private static string SendForm(string topic, TopicForms forms)
    {
        var html = new StringBuilder(Form.Open("/topic/send", "send-message", "form stack"));
        html.Append(Form.Hidden("topic", topic)).Append("<div class=\"form\">");
        html.Append(Form.Field("Tag", "tag", forms.Value("tag"), forms.Send, placeholder: "optional"));
        html.Append(Form.Field("Key", "key", forms.Value("key"), forms.Send, placeholder: "optional"));
        html.Append("</div><label class=\"field").Append(forms.Send.For("body") is null ? "" : " has-error").Append("\" style=\"margin:10px 0\"><span>Body (UTF-8 text)</span><textarea name=\"body\">")
            .Append(E(forms.Value("body"))).Append("</textarea>");
        if (forms.Send.For("body") is { } bodyError) html.Append("<span class=\"field-error\" data-field=\"body\">").Append(E(bodyError)).Append("</span>");
        html.Append("</label>").Append(Form.Submit("Send"));
        return html.Append(Form.Close(forms.Send)).ToString();
    }

    private static string ResetForm(string topic, IReadOnlyList<string> groups, TopicForms forms)
    {
        var html = new StringBuilder(Form.Open("/topic/reset", "reset-offset"));
        html.Append(Form.Hidden("topic", topic));
        html.Append(Form.Select("Consumer group", "group", forms.Value("group"), groups.Select(g => (g, g)), forms.Reset));
        html.Append(Form.Field("Time (UTC)", "time", forms.Value("time") ?? InputRules.TimeText(DateTimeOffset.UtcNow.AddHours(-1)), forms.Reset, "datetime-local"));
        html.Append(Form.Submit("Reset offset", "btn btn-danger"));
        return html.Append(Form.Close(forms.Reset)).ToString() +
            "<p class=\"muted\">Sets the group's committed offset of every queue to the first message stored at or after the time. " +
            "Online consumers keep their own position and commit it again: stop them first.</p>";
    }
}

/// <summary>The topic page's forms: posted values to show again and each form's errors.</summary>
internal sealed class TopicForms
{
    public IFormCollection? Posted { get; init; }

    public FieldErrors Send { get; init; } = FieldErrors.None;

    public FieldErrors Reset { get; init; } = FieldErrors.None;

    public FieldErrors Update { get; init; } = FieldErrors.None;

    public string? Value(string field) => Posted is not null && Posted.TryGetValue(field, out var v) ? v.ToString() : null;
}
