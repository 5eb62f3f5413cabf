using System.Text;
using Microsoft.AspNetCore.Http;
using RaftMq.Client;
using RaftMq.Dashboard.Cluster;
using RaftMq.Dashboard.Html;
using RaftMq.Protocol.Messages;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>Messages: query by topic and time range, by key, by id, and a consumer group's dead-letter queue.</summary>
internal static class MessagesPage
{
    private static readonly (string Mode, string Text)[] Modes = [("time", "Topic + time"), ("key", "Key"), ("id", "Message id"), ("dlq", "Dead letters")];

    public static async Task<IResult> GetAsync(DashboardServices services, HttpContext http)
    {
        var query = http.Request.Query;
        string mode = Modes.Any(m => m.Mode == query["mode"]) ? query["mode"].ToString() : "time";
        bool asked = query.ContainsKey("go");
        var errors = new FieldErrors();
        var input = new InputRules(null, query, errors);
        var html = new StringBuilder("<div class=\"card\"><div class=\"tabs\" id=\"message-modes\">");
        foreach (var (m, text) in Modes) html.Append($"<a href=\"/messages?mode={m}\"").Append(m == mode ? " class=\"active\"" : "").Append('>').Append(E(text)).Append("</a>");
        html.Append("</div>");
        Func<CancellationToken, Task<IReadOnlyList<MessageExt>>>? run = asked ? Parse(services, mode, input) : null;
        html.Append(QueryForm(mode, input, asked ? errors : FieldErrors.None)).Append("</div>");
        if (run is not null && !errors.Any)
        {
            var found = await services.ReadAsync("messages", run, http.RequestAborted).ConfigureAwait(false);
            html.Append("<div class=\"card\"><h2>Results</h2>").Append(found.Failure ?? Results(found.Value!, mode == "dlq")).Append("</div>");
        }
        return services.Page("Messages", "/messages", html.ToString(), asked && errors.Any ? 400 : 200);
    }

    private static Func<CancellationToken, Task<IReadOnlyList<MessageExt>>>? Parse(DashboardServices services, string mode, InputRules input)
    {
        var admin = services.Cluster.Admin;
        switch (mode)
        {
            case "key":
            {
                string topic = input.Topic("topic");
                string key = input.Required("key", "message key", 128);
                return token => admin.QueryMessagesByKeyAsync(topic, key, DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), cancellationToken: token);
            }
            case "id":
            {
                string topic = input.Topic("topic");
                string id = input.Required("id", "message id", 64);
                if (id.Length > 0 && !id.All(char.IsAsciiHexDigit)) input.Errors.Add("id", "a message id is hexadecimal (0-9, A-F)");
                return async token => await admin.ViewMessageAsync(topic, id, token).ConfigureAwait(false) is { } m ? [m] : [];
            }
            default:
            {
                string topic = mode == "dlq" ? SystemNames.DlqTopic(input.Group("group")) : input.Topic("topic");
                var begin = input.Time("begin", DateTimeOffset.UtcNow.AddHours(-1));
                var end = input.Time("end", DateTimeOffset.UtcNow.AddMinutes(1));
                input.Range("begin", begin, "end", end);
                return token => MessageQueries.ByTimeAsync(services.Cluster, topic, begin, end, token);
            }
        }
    }

    private static string QueryForm(string mode, InputRules input, FieldErrors errors)
    {
        var html = new StringBuilder("<form method=\"get\" action=\"/messages\" id=\"message-query\" class=\"form\">");
        html.Append(Form.Hidden("mode", mode)).Append(Form.Hidden("go", "1"));
        if (mode == "dlq") html.Append(Form.Field("Consumer group", "group", input.Raw("group"), errors));
        else html.Append(Form.Field("Topic", "topic", input.Raw("topic"), errors));
        if (mode == "key") html.Append(Form.Field("Key", "key", input.Raw("key"), errors));
        if (mode == "id") html.Append(Form.Field("Message id", "id", input.Raw("id"), errors, hint: "offset id or the producer's id (UNIQ_KEY)"));
        if (mode is "time" or "dlq")
        {
            html.Append(Form.Field("From (UTC)", "begin", input.Raw("begin") ?? InputRules.TimeText(DateTimeOffset.UtcNow.AddHours(-1)), errors, "datetime-local"));
            html.Append(Form.Field("To (UTC)", "end", input.Raw("end") ?? InputRules.TimeText(DateTimeOffset.UtcNow.AddMinutes(1)), errors, "datetime-local"));
        }
        html.Append(Form.Submit("Search")).Append("</form>");
        if (mode is "time" or "dlq") html.Append($"<p class=\"muted\">At most {MessageQueries.MaxMessages} messages, oldest first per queue.</p>");
        return html.ToString();
    }

    private static string Results(IReadOnlyList<MessageExt> messages, bool deadLetters)
    {
        var headers = new List<string> { "message id", "topic" };
        if (deadLetters) headers.Add("original topic");
        headers.AddRange(["tags", "keys", "queue", "offset", "stored (UTC)", "bytes"]);
        var rows = messages.Select(m =>
        {
            var row = new List<string>
            {
                $"<a class=\"mono\" href=\"/message?topic={Q(m.Topic)}&amp;id={Q(m.OffsetMsgId)}\">{E(m.MsgId)}</a>", E(m.Topic),
            };
            if (deadLetters) row.Add(E(m.GetProperty(MessageProperty.RetryTopic) ?? "-"));
            row.AddRange([E(m.Tags ?? ""), E(m.Keys ?? ""), $"{E(m.BrokerName)}/{N(m.QueueId)}", N(m.QueueOffset), Time(m.StoreTimestamp), N(m.Body.Length)]);
            return (IReadOnlyList<string>)row;
        }).ToList();
        return Table("messages", headers, rows, "no message found");
    }
}
