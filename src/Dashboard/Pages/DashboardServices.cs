using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RaftMq.Dashboard.Activity;
using RaftMq.Dashboard.Cluster;
using RaftMq.Dashboard.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>What every page handler uses: the cluster gateway, the activity history, the options and a logger.</summary>
internal sealed class DashboardServices(ClusterGateway cluster, ActivityHistory activity, DashboardOptions options, ILogger logger)
{
    public ClusterGateway Cluster => cluster;

    public ActivityHistory Activity => activity;

    public DashboardOptions Options => options;

    public ILogger Logger => logger;

    public IResult Page(string title, string active, string content, int statusCode = 200, bool charts = false) =>
        PageShell.Render(title, active, content, cluster.NameServers, statusCode, charts);

    /// <summary>Runs a read; a cluster failure becomes a "not reachable" panel (logged), never an exception page.</summary>
    public async Task<Read<T>> ReadAsync<T>(string what, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return new Read<T>(await read(cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ClusterGateway.IsClusterFailure(ex))
        {
            logger.ClusterUnreachable(what, ex.Message);
            return new Read<T>(default, global::RaftMq.Dashboard.Html.Html.NotReachable(what, ex.Message));
        }
    }

    /// <summary>Runs an action; a failure is returned as the form's general error.</summary>
    public async Task<bool> ActAsync(HttpContext http, string description, FieldErrors errors, Func<CancellationToken, Task> action)
    {
        try
        {
            await action(http.RequestAborted).ConfigureAwait(false);
            logger.ActionPerformed(http.Connection.RemoteIpAddress?.ToString(), description);
            return true;
        }
        catch (Exception ex) when (ClusterGateway.IsClusterFailure(ex))
        {
            logger.ClusterUnreachable(description, ex.Message);
            errors.General = $"{description} failed: {ex.Message}";
            return false;
        }
    }
}

/// <summary>A read's value, or the HTML of the failure to show instead.</summary>
internal readonly record struct Read<T>(T? Value, string? Failure)
{
    public bool Ok => Failure is null;
}
