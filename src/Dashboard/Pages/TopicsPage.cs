using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using RaftMq.Client.Admin;
using RaftMq.Dashboard.Cluster;
using RaftMq.Dashboard.Html;
using RaftMq.Protocol.Bodies;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>Topics: the list with its kind filter and the create form.</summary>
internal static class TopicsPage
{
    internal static readonly (string Value, string Text)[] Permissions = [("6", "read + write (6)"), ("4", "read only (4)"), ("2", "write only (2)")];

    public static Task<IResult> GetAsync(DashboardServices services, HttpContext http)
    {
        var errors = new FieldErrors();
        if (!TopicKinds.TryParse(http.Request.Query["kind"], out var kind)) errors.General = "unknown topic kind; showing all";
        return RenderAsync(services, http, kind, errors, form: null, statusCode: 200);
    }

    public static async Task<IResult> CreateAsync(DashboardServices services, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var errors = new FieldErrors();
        var input = new InputRules(form, null, errors);
        string topic = input.Topic("topic");
        string cluster = input.Required("cluster", "cluster");
        var settings = Settings(input, topic);
        if (!errors.Any && TopicKinds.Of(topic, new HashSet<string>()) != TopicKind.Normal) errors.Add("topic", "retry, DLQ and system topic names are reserved");
        if (!errors.Any && await services.ActAsync(http, $"create topic {topic} in {cluster}", errors,
                token => services.Cluster.Admin.CreateOrUpdateTopicAsync(cluster, settings, token)).ConfigureAwait(false))
        {
            return Results.Redirect($"/topic?name={Q(topic)}&done={Q($"Topic {topic} created in {cluster}.")}", false);
        }
        return await RenderAsync(services, http, null, errors, form, 400).ConfigureAwait(false);
    }

    /// <summary>Queue counts, permission and order from a create or update form.</summary>
    internal static TopicSettings Settings(InputRules input, string topic) => new()
    {
        Topic = topic,
        ReadQueueNums = input.Int("readQueues", 1, 1024, 8),
        WriteQueueNums = input.Int("writeQueues", 1, 1024, 8),
        Perm = PermissionOf(input),
        Order = input.Raw("order") == "true",
    };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int PermissionOf(InputRules input)
    {
        int perm = input.Int("perm", 2, 6, 6);
        if (perm is not (2 or 4 or 6)) input.Errors.Add("perm", "choose 2, 4 or 6");
        return perm;
    }

    private static async Task<IResult> RenderAsync(DashboardServices services, HttpContext http, TopicKind? kind, FieldErrors errors, IFormCollection? form, int statusCode)
    {
        var token = http.RequestAborted;
        var nodes = await services.ReadAsync("the cluster overview", services.Cluster.GetNodesAsync, token).ConfigureAwait(false);
        var catalog = await services.ReadAsync("the topic list", t => TopicCatalog.LoadAsync(services.Cluster, t), token).ConfigureAwait(false);
        var html = new StringBuilder(Notice(http.Request.Query["done"]));
        html.Append("<div class=\"card\"><h2>Create or update a topic</h2>").Append(CreateForm(nodes.Value, errors, form)).Append("</div>");
        html.Append("<div class=\"card\"><div class=\"filters\" id=\"topic-filters\">");
        foreach (string k in new[] { "all", "normal", "retry", "dlq", "system" })
        {
            bool active = (kind?.ToString().ToLowerInvariant() ?? "all") == k;
            html.Append("<a href=\"/topics?kind=").Append(k).Append('"').Append(active ? " class=\"active\"" : "").Append('>').Append(k == "dlq" ? "DLQ" : k).Append("</a>");
        }
        html.Append("</div>");
        if (!catalog.Ok) html.Append(catalog.Failure);
        else html.Append(await ListAsync(services, catalog.Value!, kind, nodes.Value ?? [], token).ConfigureAwait(false));
        html.Append("</div>");
        return services.Page("Topics", "/topics", html.ToString(), statusCode);
    }

    private static async Task<string> ListAsync(DashboardServices services, TopicCatalog catalog, TopicKind? kind, IReadOnlyList<BrokerNodeInfo> nodes, CancellationToken token)
    {
        // One GET_ALL_TOPIC_CONFIG per group master gives every topic's queues and permission.
        var configs = new Dictionary<string, List<(string Group, TopicConfig Config)>>(StringComparer.Ordinal);
        foreach (var master in nodes.Where(n => n.BrokerId == 0 && n.RuntimeInfo is not null))
        {
            var read = await services.ReadAsync($"topic configs of {master.BrokerName}", t => services.Cluster.Admin.GetTopicConfigsAsync(master.Address, t), token).ConfigureAwait(false);
            foreach (var config in read.Value ?? [])
            {
                if (!configs.TryGetValue(config.Name, out var list)) configs[config.Name] = list = [];
                list.Add((master.BrokerName, config));
            }
        }
        var rows = catalog.Topics.Where(t => kind is null || t.Kind == kind).Select(t =>
        {
            var found = configs.GetValueOrDefault(t.Topic) ?? [];
            string queues = found.Count == 0 ? "-" : string.Join(", ", found.Select(f => $"{f.Group}: {f.Config.ReadQueueNums}r/{f.Config.WriteQueueNums}w"));
            string perm = found.Count == 0 ? "-" : string.Join(", ", found.Select(f => f.Config.Perm.ToString(CultureInfo.InvariantCulture)).Distinct());
            return (IReadOnlyList<string>)[Link($"/topic?name={Q(t.Topic)}", t.Topic), Badge(t.Kind.ToString().ToUpperInvariant(), "kind"), E(queues), E(perm),
                found.Any(f => f.Config.Order) ? "yes" : "no"];
        });
        return Table("topics", ["topic", "kind", "queues (per group)", "perm", "ordered"], rows.ToList(), "no topic of this kind");
    }

    /// <summary>The create form, or with <paramref name="current"/> the update form of that topic, prefilled with its settings.</summary>
    internal static string CreateForm(IReadOnlyList<BrokerNodeInfo>? nodes, FieldErrors errors, IFormCollection? form, TopicSettings? current = null)
    {
        string? fixedTopic = current?.Topic;
        string? V(string name, string fallback) => form is not null && form.TryGetValue(name, out var v) ? v.ToString() : fallback;
        var clusters = (nodes ?? []).Select(n => n.ClusterName).Distinct().Order(StringComparer.Ordinal).Select(c => (c, c)).ToList();
        var html = new StringBuilder(Form.Open(fixedTopic is null ? "/topics/create" : "/topic/update", fixedTopic is null ? "create-topic" : "update-topic"));
        html.Append(fixedTopic is null ? Form.Field("Topic", "topic", V("topic", ""), errors, placeholder: "OrderEvents") : Form.Hidden("topic", fixedTopic));
        html.Append(Form.Select("Cluster", "cluster", V("cluster", clusters.FirstOrDefault().Item1 ?? ""), clusters, errors));
        html.Append(Form.Field("Read queues", "readQueues", V("readQueues", Text(current?.ReadQueueNums ?? 8)), errors, "number"));
        html.Append(Form.Field("Write queues", "writeQueues", V("writeQueues", Text(current?.WriteQueueNums ?? 8)), errors, "number"));
        html.Append(Form.Select("Permission", "perm", V("perm", Text(current?.Perm ?? 6)), Permissions, errors));
        html.Append(Form.Select("Ordered", "order", V("order", current?.Order == true ? "true" : "false"), [("false", "no"), ("true", "yes")], errors));
        html.Append(Form.Submit(fixedTopic is null ? "Create topic" : "Update topic"));
        return html.Append(Form.Close(errors)).ToString();
    }
}
