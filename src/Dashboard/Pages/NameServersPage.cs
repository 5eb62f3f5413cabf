using System.Globalization;
using Microsoft.AspNetCore.Http;
using RaftMq.Dashboard.Html;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>Name servers: the configured list and whether each answers a cluster-info request right now.</summary>
internal static class NameServersPage
{
    public static async Task<IResult> GetAsync(DashboardServices services, HttpContext http)
    {
        var checks = await Task.WhenAll(services.Cluster.NameServers.Select(address => services.Cluster.Admin.PingNameServerAsync(address, http.RequestAborted)))
            .ConfigureAwait(false);
        var rows = checks.Select(c => (IReadOnlyList<string>)
        [
            $"<span class=\"mono\">{E(c.Address)}</span>", c.Reachable ? Badge("reachable", "ok") : Badge("not reachable", "down"),
            c.Reachable ? E(c.RoundTrip.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms") : "-", E(c.Error ?? ""),
        ]).ToList();
        string content = "<div class=\"card\">" + Table("name-servers", ["address", "status", "round trip", "error"], rows) + "</div>" +
            "<p class=\"muted\">Checked when the page loads: one GET_BROKER_CLUSTER_INFO per name server. Set the list with <code>raftmq dashboard -n 'a:9876;b:9876'</code>.</p>";
        return services.Page("Name servers", "/namesrv", content);
    }
}
