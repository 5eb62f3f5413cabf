using System.Text;
using Microsoft.AspNetCore.Http;
using RaftMq.Client;
using RaftMq.Dashboard.Html;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>
/// Producers: the online members of a producer group on a topic (GET_PRODUCER_CONNECTION_LIST, 204, at the masters of
/// the groups holding the topic; producers heartbeat the masters of the topics they send to), read when asked.
/// </summary>
internal static class ProducersPage
{
    public static async Task<IResult> GetAsync(DashboardServices services, HttpContext http)
    {
        var errors = new FieldErrors();
        var query = http.Request.Query;
        bool asked = query.ContainsKey("group") || query.ContainsKey("topic");
        var input = new InputRules(null, query, errors);
        string topic = asked ? input.Topic("topic") : "";
        string group = asked ? input.Group("group") : "";
        var html = new StringBuilder("<div class=\"card\">");
        html.Append("<form method=\"get\" action=\"/producers\" id=\"producer-query\" class=\"form\">")
            .Append(Form.Field("Topic", "topic", topic, errors)).Append(Form.Field("Producer group", "group", group, errors))
            .Append(Form.Submit("Show connections")).Append("</form></div>");
        if (asked && !errors.Any)
        {
            html.Append("<div class=\"card\"><h2>Connections of ").Append(E(group)).Append(" on ").Append(E(topic)).Append("</h2>");
            var read = await services.ReadAsync($"the producers of {group}", t => ConnectionsAsync(services, group, topic, t), http.RequestAborted)
                .ConfigureAwait(false);
            if (!read.Ok) html.Append(read.Failure);
            else if (read.Value.Connection is not { } connection) html.Append(Notice(read.Value.Absent!, "warn"));
            else
            {
                html.Append(Table("producer-connections", ["client id", "address", "language", "version"],
                    connection.ConnectionSet.OrderBy(c => c.ClientId, StringComparer.Ordinal).Select(c => (IReadOnlyList<string>)[
                        $"<span class=\"mono\">{E(c.ClientId)}</span>", $"<span class=\"mono\">{E(c.ClientAddr)}</span>", E(c.Language),
                        E(MQVersion.Describe(c.Version))]).ToList()));
            }
            html.Append("<p class=\"muted\">Asked when the page loads: GET_PRODUCER_CONNECTION_LIST (204) at the master of every group holding the topic.</p></div>");
        }
        return services.Page("Producers", "/producers", html.ToString(), errors.Any ? 400 : 200);
    }

    /// <summary>The group's members, or why there are none (no such topic, nobody online).</summary>
    private static async Task<(ProducerConnection? Connection, string? Absent)> ConnectionsAsync(DashboardServices services, string group, string topic,
        CancellationToken cancellationToken)
    {
        try
        {
            return (await services.Cluster.Admin.GetProducerConnectionAsync(group, topic, cancellationToken).ConfigureAwait(false), null);
        }
        catch (MQClientException e) when (e.ResponseCode is ResponseCode.TopicNotExist or MQClientException.NoResponseCode)
        {
            return (null, e.Message);
        }
    }
}
