using RaftMq.Cli.LocalCluster;
using RaftMq.Dashboard;

namespace RaftMq.Cli.Quickstart;

public sealed partial class QuickstartRun
{
    /// <summary>With <c>--dashboard</c>: the web console on loopback, reading the demo cluster's name server; else null.</summary>
    private async Task<DashboardServer?> StartDashboardAsync(ClusterLayout layout, CancellationToken cancellationToken)
    {
        if (settings.DashboardPort is not { } port) return null;
        var options = new DashboardOptions { NameServerAddresses = [layout.NameServerAddress], Port = port, Credentials = _security?.Admin, Tls = _security?.ClientTls };
        var server = new DashboardServer(options, loggers);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        Progress($"dashboard: {server.Address}");
        return server;
    }

    private static async Task WaitForInterruptAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: stop the cluster gracefully below
        }
    }
}
