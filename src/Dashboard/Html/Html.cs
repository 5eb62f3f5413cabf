using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace RaftMq.Dashboard.Html;

/// <summary>Small helpers to write encoded HTML: every value from the cluster or the user goes through <see cref="E"/>.</summary>
internal static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A URL query value.</summary>
    public static string Q(string? text) => Uri.EscapeDataString(text ?? "");

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double value) => value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);

    public static string Time(long unixMs) =>
        unixMs <= 0 ? "-" : DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";

    /// <summary>A table; cells are HTML already (encode values with <see cref="E"/>).</summary>
    public static string Table(string id, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? empty = null)
    {
        var html = new StringBuilder();
        html.Append("<table class=\"grid\" id=\"").Append(E(id)).Append("\"><thead><tr>");
        foreach (string header in headers) html.Append("<th>").Append(E(header)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        int count = 0;
        foreach (var row in rows)
        {
            count++;
            html.Append("<tr>");
            foreach (string cell in row) html.Append("<td>").Append(cell).Append("</td>");
            html.Append("</tr>");
        }
        if (count == 0) html.Append("<tr><td class=\"empty\" colspan=\"").Append(headers.Count).Append("\">").Append(E(empty ?? "nothing to show")).Append("</td></tr>");
        return html.Append("</tbody></table>").ToString();
    }

    public static string Link(string href, string text) => $"<a href=\"{E(href)}\">{E(text)}</a>";

    public static string Badge(string text, string kind) => $"<span class=\"badge badge-{E(kind)}\">{E(text)}</span>";

    /// <summary>A value the brokers do not report: shown greyed with the reason as a tooltip.</summary>
    public static string Unavailable(string why) => $"<span class=\"unavailable\" title=\"{E(why)}\">unavailable</span>";

    public static string Notice(string? text, string kind = "ok") =>
        string.IsNullOrEmpty(text) ? "" : $"<div class=\"notice notice-{E(kind)}\" role=\"status\">{E(text)}</div>";

    /// <summary>The panel shown instead of a page's data when the cluster cannot be read.</summary>
    public static string NotReachable(string what, string reason) =>
        $"<div class=\"notice notice-error not-reachable\" role=\"alert\"><strong>Not reachable:</strong> {E(what)} could not be read ({E(reason)}). " +
        "The page retries on reload.</div>";
}
