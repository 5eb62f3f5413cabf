using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RaftMq.Dashboard.Pages;

namespace RaftMq.Dashboard;

/// <summary>Every URL of the dashboard. Pages are GET; actions are POST forms that redirect back with a message.</summary>
internal static class DashboardEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DashboardServices services)
    {
        app.MapGet("/", H(http => CockpitPage.GetAsync(services, http)));
        app.MapGet("/api/activity", () => CockpitPage.Activity(services));
        app.MapGet("/fragments/cockpit-totals", H(http => CockpitPage.TotalsFragmentAsync(services, http)));
        app.MapGet("/fragments/cockpit-rates", () => CockpitPage.RatesFragment(services));

        app.MapGet("/cluster", H(http => ClusterPage.GetAsync(services, http)));
        app.MapGet("/fragments/cluster-nodes", H(http => ClusterPage.NodesFragmentAsync(services, http)));
        app.MapGet("/cluster/transfer", H(http => ClusterPage.ConfirmTransfer(services, http)));
        app.MapPost("/cluster/transfer", H(http => ClusterPage.TransferAsync(services, http)));

        app.MapGet("/topics", H(http => TopicsPage.GetAsync(services, http)));
        app.MapPost("/topics/create", H(http => TopicsPage.CreateAsync(services, http)));
        app.MapGet("/topic", H(http => TopicPage.GetAsync(services, http)));
        app.MapPost("/topic/send", H(http => TopicActions.SendAsync(services, http)));
        app.MapPost("/topic/reset", H(http => TopicActions.ResetAsync(services, http)));
        app.MapPost("/topic/update", H(http => TopicActions.UpdateAsync(services, http)));
        app.MapGet("/topic/delete", H(http => TopicActions.ConfirmDeleteAsync(services, http)));
        app.MapPost("/topic/delete", H(http => TopicActions.DeleteAsync(services, http)));

        app.MapGet("/consumers", H(http => ConsumersPage.GetAsync(services, http)));
        app.MapGet("/fragments/consumers", H(http => ConsumersPage.ListFragmentAsync(services, http)));
        app.MapGet("/consumer", H(http => ConsumersPage.GroupAsync(services, http)));
        app.MapPost("/consumer/reset", H(http => ConsumersPage.ResetAsync(services, http)));

        app.MapGet("/producers", H(http => ProducersPage.GetAsync(services, http)));
        app.MapGet("/messages", H(http => MessagesPage.GetAsync(services, http)));
        app.MapGet("/message", H(http => MessagePage.GetAsync(services, http)));
        app.MapPost("/message/resend", H(http => MessagePage.ResendAsync(services, http)));
        app.MapGet("/namesrv", H(http => NameServersPage.GetAsync(services, http)));

        app.MapGet("/static/{**path}", (string path) => StaticAssets.Serve(path));
    }

    /// <summary>Typed as a route handler so its IResult is written (a bare HttpContext lambda would bind as a RequestDelegate).</summary>
    private static Delegate H(Func<HttpContext, Task<IResult>> handler) => handler;

    private static Delegate H(Func<HttpContext, IResult> handler) => handler;
}
