using System.Text;
using Microsoft.AspNetCore.Http;
using RaftMq.Client;
using RaftMq.Dashboard.Html;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>The topic page's actions: send a test message, reset a group's offset by time, update, delete (confirmed).</summary>
internal static class TopicActions
{
    private const int MaxTestBodyBytes = 64 * 1024;

    public static async Task<IResult> SendAsync(DashboardServices services, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var errors = new FieldErrors();
        var input = new InputRules(form, null, errors);
        string topic = input.Topic("topic");
        string body = input.Raw("body") ?? "";
        string? tag = Optional(input, "tag", 128);
        string? key = Optional(input, "key", 128);
        if (body.Length == 0) errors.Add("body", "enter a message body");
        else if (Encoding.UTF8.GetByteCount(body) > MaxTestBodyBytes) errors.Add("body", $"a test message body is at most {MaxTestBodyBytes / 1024} KiB");
        SendResult? sent = null;
        if (!errors.Any && await services.ActAsync(http, $"send a test message to {topic}", errors, async token =>
            {
                var producer = await services.Cluster.ProducerAsync(token).ConfigureAwait(false);
                sent = await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes(body), tag, key), token).ConfigureAwait(false);
            }).ConfigureAwait(false))
        {
            return Results.Redirect($"/topic?name={Q(topic)}&done={Q($"Sent: {sent!.Status}, message id {sent.MsgId}, queue {sent.Queue.BrokerName}/{sent.Queue.QueueId} offset {sent.QueueOffset}.")}", false);
        }
        return await TopicPage.RenderAsync(services, http, topic, new TopicForms { Posted = form, Send = errors }, 400).ConfigureAwait(false);
    }

    public static async Task<IResult> ResetAsync(DashboardServices services, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var errors = new FieldErrors();
        var input = new InputRules(form, null, errors);
        string topic = input.Topic("topic");
        string group = input.Group("group");
        var time = input.Time("time");
        long moved = 0;
        if (!errors.Any && await services.ActAsync(http, $"reset offsets of {group} on {topic} to {InputRules.TimeText(time)}", errors, async token =>
            {
                var queues = await services.Cluster.Admin.ResetOffsetByTimeAsync(group, topic, time, token).ConfigureAwait(false);
                moved = queues.Count;
            }).ConfigureAwait(false))
        {
            return Results.Redirect($"/topic?name={Q(topic)}&done={Q($"Offsets of {group} reset on {moved} queues to {InputRules.TimeText(time)} UTC.")}", false);
        }
        return await TopicPage.RenderAsync(services, http, topic, new TopicForms { Posted = form, Reset = errors }, 400).ConfigureAwait(false);
    }

    public static async Task<IResult> UpdateAsync(DashboardServices services, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var errors = new FieldErrors();
        var input = new InputRules(form, null, errors);
        string topic = input.Topic("topic");
        string cluster = input.Required("cluster", "cluster");
        var settings = TopicsPage.Settings(input, topic);
        if (!errors.Any && await services.ActAsync(http, $"update topic {topic}", errors,
                token => services.Cluster.Admin.CreateOrUpdateTopicAsync(cluster, settings, token)).ConfigureAwait(false))
        {
            return Results.Redirect($"/topic?name={Q(topic)}&done={Q($"Topic {topic} updated.")}", false);
        }
        return await TopicPage.RenderAsync(services, http, topic, new TopicForms { Posted = form, Update = errors }, 400).ConfigureAwait(false);
    }

    public static async Task<IResult> ConfirmDeleteAsync(DashboardServices services, HttpContext http)
    {
        var errors = new FieldErrors();
        string topic = new InputRules(null, http.Request.Query, errors).Topic("name");
        if (errors.Any) return services.Page("Delete topic", "/topics", Notice($"Bad topic name: {errors.For("name")}", "error"), 400);
        var nodes = await services.ReadAsync("the cluster overview", services.Cluster.GetNodesAsync, http.RequestAborted).ConfigureAwait(false);
        var clusters = (nodes.Value ?? []).Select(n => n.ClusterName).Distinct().Order(StringComparer.Ordinal).Select(c => (c, c)).ToList();
        var html = new StringBuilder("<div class=\"card confirm\"><p>Delete topic <strong>").Append(E(topic))
            .Append("</strong> from every master of the cluster and from every name server? Its messages stay in the log but can no longer be consumed.</p>");
        html.Append(Form.Open("/topic/delete", "delete-form")).Append(Form.Hidden("name", topic))
            .Append(Form.Select("Cluster", "cluster", clusters.FirstOrDefault().Item1, clusters, errors))
            .Append(Form.Submit("Delete topic", "btn btn-danger")).Append($" <a class=\"btn btn-secondary\" href=\"/topic?name={Q(topic)}\">Cancel</a>").Append(Form.Close(errors));
        return services.Page($"Delete topic {topic}", "/topics", html.Append("</div>").ToString());
    }

    public static async Task<IResult> DeleteAsync(DashboardServices services, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var errors = new FieldErrors();
        var input = new InputRules(form, null, errors);
        string topic = input.Topic("name");
        string cluster = input.Required("cluster", "cluster");
        if (!errors.Any && await services.ActAsync(http, $"delete topic {topic} from {cluster}", errors,
                token => services.Cluster.Admin.DeleteTopicAsync(cluster, topic, token)).ConfigureAwait(false))
        {
            return Results.Redirect($"/topics?done={Q($"Topic {topic} deleted.")}", false);
        }
        return services.Page($"Delete topic {topic}", "/topics", Notice(errors.General ?? errors.For("name") ?? errors.For("cluster"), "error"), 400);
    }

    private static string? Optional(InputRules input, string field, int maxLength)
    {
        string? value = input.Raw(field);
        if (string.IsNullOrEmpty(value)) return null;
        if (value.Length > maxLength) input.Errors.Add(field, $"at most {maxLength} characters");
        return value;
    }
}
