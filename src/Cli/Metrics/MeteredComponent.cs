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
                endpoint = await PrometheusEndpoint.StartAsync(settings, token).ConfigureAwait(false);
                started?.Invoke(endpoint.Url);
                try
                {
                    await component.StartAsync(token).ConfigureAwait(false);
                }
                catch
                {
                    await endpoint.DisposeAsync().ConfigureAwait(false);
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
                    if (endpoint is not null) await endpoint.DisposeAsync().ConfigureAwait(false);
                }
            },
        };
    }
}
