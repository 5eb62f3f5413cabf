using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RaftMq.Client;
using RaftMq.Dashboard.Cluster;
using RaftMq.Dashboard.Html;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>One message: stored fields, properties, the body as text, pretty JSON or hex, its trace, and resend to a consumer group.</summary>
internal static class MessagePage
{
    private const int MaxShownBodyBytes = 256 * 1024;

    public static async Task<IResult> GetAsync(DashboardServices services, HttpContext http)
    {
        var errors = new FieldErrors();
        var input = new InputRules(null, http.Request.Query, errors);
        string topic = input.Topic("topic");
        string id = input.Required("id", "message id", 64);
        if (errors.Any) return services.Page("Message", "/messages", Notice("A topic and a message id are required.", "error"), 400);
        return await RenderAsync(services, http, topic, id, new FieldErrors(), null, 200).ConfigureAwait(false);
    }

    public static async Task<IResult> ResendAsync(DashboardServices services, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var errors = new FieldErrors();
        var input = new InputRules(form, null, errors);
        string topic = input.Topic("topic");
        string id = input.Required("id", "message id", 64);
        string group = input.Group("group");
        SendResult? sent = null;
        if (!errors.Any && await services.ActAsync(http, $"resend {id} to {group}", errors, async token =>
            {
                var message = await services.Cluster.Admin.ViewMessageAsync(topic, id, token).ConfigureAwait(false)
                    ?? throw new MQClientException($"message {id} was not found");
                sent = await MessageQueries.ResendToGroupAsync(services.Cluster, message, group, token).ConfigureAwait(false);
            }).ConfigureAwait(false))
        {
            http.Response.Headers.Location = $"/message?topic={Q(topic)}&id={Q(id)}&done={Q($"Resent to {group} as {sent!.MsgId} ({sent.Status}).")}";
            return Results.StatusCode(StatusCodes.Status303SeeOther);
        }
        return await RenderAsync(services, http, topic, id, errors, group, 400).ConfigureAwait(false);
    }

    private static async Task<IResult> RenderAsync(DashboardServices services, HttpContext http, string topic, string id, FieldErrors errors, string? group, int statusCode)
    {
        var token = http.RequestAborted;
        var read = await services.ReadAsync($"message {id}", t => services.Cluster.Admin.ViewMessageAsync(topic, id, t), token).ConfigureAwait(false);
        var html = new StringBuilder(Notice(http.Request.Query["done"]));
        if (!read.Ok) return services.Page("Message", "/messages", html.Append(read.Failure).ToString(), statusCode);
        if (read.Value is not { } m) return services.Page("Message", "/messages", html.Append(Notice($"No broker has message {id}.", "warn")).ToString(), 404);
        string view = http.Request.Query["view"].ToString() is "json" or "hex" ? http.Request.Query["view"].ToString() : "text";
        html.Append("<div class=\"cards\"><div class=\"card\"><h2>Stored as</h2><dl class=\"props\" id=\"message-fields\">");
        foreach (var (name, value) in new[]
        {
            ("message id", m.MsgId), ("offset message id", m.OffsetMsgId), ("topic", m.Topic), ("queue", $"{m.BrokerName}/{m.QueueId}"),
            ("queue offset", N(m.QueueOffset)), ("commit log offset", N(m.CommitLogOffset)), ("born", $"{Time(m.BornTimestamp)} from {m.BornHost}"),
            ("stored", $"{Time(m.StoreTimestamp)} on {m.StoreHost}"), ("reconsume times", N(m.ReconsumeTimes)), ("size", $"{N(m.StoreSize)} bytes"),
        })
        {
            html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
        }
        html.Append("</dl></div><div class=\"card\"><h2>Properties</h2><dl class=\"props\" id=\"message-properties\">");
        foreach (var (name, value) in m.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
        html.Append("</dl></div></div>");
        html.Append("<div class=\"card\" style=\"margin-top:18px\"><h2>Body</h2><div class=\"tabs\">");
        foreach (string v in new[] { "text", "json", "hex" })
        {
            html.Append($"<a href=\"/message?topic={Q(topic)}&amp;id={Q(id)}&amp;view={v}\"").Append(v == view ? " class=\"active\"" : "").Append('>').Append(v).Append("</a>");
        }
        html.Append("</div><pre class=\"body\" id=\"message-body\">").Append(E(Body(m.Body, view))).Append("</pre></div>");
        html.Append(await MessageTraceCard.RenderAsync(services, m.MsgId, token).ConfigureAwait(false));
        html.Append("<div class=\"card\"><h2>Resend to a consumer group</h2>").Append(Form.Open("/message/resend", "resend-message"))
            .Append(Form.Hidden("topic", topic)).Append(Form.Hidden("id", id))
            .Append(Form.Field("Consumer group", "group", group ?? TopicKinds.GroupOf(m.Topic), errors)).Append(Form.Submit("Resend")).Append(Form.Close(errors))
            .Append("<p class=\"muted\">A copy goes to the group's %RETRY% topic: only that group's consumers receive it again, as a message of its original topic.</p></div>");
        return services.Page($"Message {m.MsgId}", "/messages", html.ToString(), statusCode);
    }

    /// <summary>The body as UTF-8 text, indented JSON (falls back to text when it is not JSON), or a hex dump.</summary>
    internal static string Body(byte[] body, string view)
    {
        var shown = body.AsSpan(0, Math.Min(body.Length, MaxShownBodyBytes));
        string suffix = body.Length > MaxShownBodyBytes ? $"\n… {body.Length - MaxShownBodyBytes} more bytes not shown" : "";
        if (view == "hex") return Hex(shown) + suffix;
        string text = Encoding.UTF8.GetString(shown);
        if (view != "json") return text + suffix;
        try
        {
            using var document = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }
        catch (JsonException)
        {
            return "(not JSON; shown as text)\n" + text + suffix;
        }
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        for (int row = 0; row < bytes.Length; row += 16)
        {
            var line = bytes.Slice(row, Math.Min(16, bytes.Length - row));
            text.Append(row.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)).Append("  ");
            for (int i = 0; i < 16; i++) text.Append(i < line.Length ? line[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + " " : "   ");
            text.Append(' ');
            foreach (byte b in line) text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            text.Append('\n');
        }
        return text.ToString();
    }
}
