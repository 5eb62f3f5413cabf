using RaftMq.Cli.Hosting;

namespace RaftMq.Cli.Metrics;

/// <summary>Runs a server component with its Prometheus endpoint: the endpoint binds first (a taken port stops the
/// start before the component opens its store), and closes after the component stopped.</summary>
public static class MeteredComponent
{
    public static ServerComponent With(ServerComponent component, MetricsEndpointSettings? settings, Action<string>? started = null)
    {
        ArgumentNullException.ThrowIfNull(component);
        if (settings is null || settings.Port == 0) return component;
        PrometheusEndpoint? endpoint = null;
        return component with
        {
            StartAsync = async token =>
            {
                endpoint = PrometheusEndpoint.Start(settings);
                started?.Invoke(endpoint.Url);
                try
                {
                    await component.StartAsync(token).ConfigureAwait(false);
                }
                catch
                {
                    endpoint.Dispose();
                    endpoint = null;
                    throw;
                }
            },
            StopAsync = async token =>
            {
                try
                {
                    await component.StopAsync(token).ConfigureAwait(false);
                }
                finally
                {
                    endpoint?.Dispose();
                }
            },
        };
    }
}
