using System.Text;
using Microsoft.AspNetCore.Http;
using RaftMq.Dashboard.Html;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>
/// Producers: connections of a producer group on a topic. RocketMQ answers this with GET_PRODUCER_CONNECTION_LIST (204),
/// which RaftMq brokers do not serve yet; the page validates the query and says so instead of showing made-up rows.
/// </summary>
internal static class ProducersPage
{
    public static Task<IResult> GetAsync(DashboardServices services, HttpContext http)
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
            html.Append("<div class=\"card\"><h2>Connections of ").Append(E(group)).Append(" on ").Append(E(topic)).Append("</h2>")
                .Append(Table("producer-connections", ["client id", "address", "language", "version"],
                    [[Unavailable("brokers do not serve GET_PRODUCER_CONNECTION_LIST (204)"), "-", "-", "-"]])).Append("</div>");
        }
        return Task.FromResult(services.Page("Producers", "/producers", html.ToString(), errors.Any ? 400 : 200));
    }
}
