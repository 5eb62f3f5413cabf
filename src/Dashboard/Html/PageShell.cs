using System.Text;
using Microsoft.AspNetCore.Http;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Html;

/// <summary>The frame of every page: navigation, the name servers read, and the page's content.</summary>
internal static class PageShell
{
    private static readonly (string Href, string Text)[] Navigation =
    [
        ("/", "Cockpit"), ("/cluster", "Cluster"), ("/topics", "Topics"), ("/consumers", "Consumers"),
        ("/producers", "Producers"), ("/messages", "Messages"), ("/namesrv", "Name servers"),
    ];

    public static IResult Render(string title, string active, string content, IReadOnlyList<string> nameServers, int statusCode = 200, bool charts = false)
    {
        var html = new StringBuilder(8192);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(E(title)).Append(" · RaftMq dashboard</title>");
        html.Append("<link rel=\"stylesheet\" href=\"/static/site.css\">");
        if (charts) html.Append("<link rel=\"stylesheet\" href=\"/static/vendor/uplot/uPlot.min.css\">");
        html.Append("</head><body><header class=\"top\"><div class=\"brand\">RaftMq <span>dashboard</span></div><nav>");
        foreach (var (href, text) in Navigation)
        {
            html.Append("<a href=\"").Append(href).Append('"').Append(href == active ? " class=\"active\" aria-current=\"page\"" : "").Append('>').Append(E(text)).Append("</a>");
        }
        html.Append("</nav><div class=\"nameservers\" title=\"name servers this dashboard reads\">").Append(E(string.Join(" ; ", nameServers))).Append("</div></header>");
        html.Append("<main><h1>").Append(E(title)).Append("</h1>").Append(content).Append("</main>");
        if (charts) html.Append("<script src=\"/static/vendor/uplot/uPlot.iife.min.js\"></script>");
        html.Append("<script src=\"/static/dashboard.js\"></script></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }
}
