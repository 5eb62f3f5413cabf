using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RaftMq.Cli.CommandLine;

namespace RaftMq.Cli.Metrics;

/// <summary>
/// Serves every System.Diagnostics.Metrics meter whose name starts with "RaftMq" in the Prometheus text format at
/// <c>http://host:port/metrics</c>, through the OpenTelemetry SDK and its ASP.NET Core Prometheus exporter on a small
/// Kestrel server of its own (names become Prometheus names: dots to underscores, the unit as a suffix, <c>_total</c> on
/// counters). New meters added anywhere in the code appear without changes here. Kestrel, not the exporter's
/// HttpListener variant: that one is meant for development, and failed now and then to start right after a previous
/// process on the same port stopped ("Value cannot be null").
/// </summary>
public sealed class PrometheusEndpoint : IAsyncDisposable
{
    /// <summary>Meter names exported (OpenTelemetry's wildcard syntax).</summary>
    public const string MeterPattern = "RaftMq*";

    public const string ScrapePath = "/metrics";

    private readonly WebApplication _server;

    private PrometheusEndpoint(WebApplication server, string url)
    {
        _server = server;
        Url = url;
    }

    /// <summary>The scrape URL.</summary>
    public string Url { get; }

    /// <summary>
    /// Starts serving; a port that cannot be bound is a configuration error naming the port, the key that sets it
    /// and the file, so the process refuses to start rather than run without the metrics it was asked for.
    /// </summary>
    public static async Task<PrometheusEndpoint> StartAsync(MetricsEndpointSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders(); // the process logs through its own providers; Kestrel's start-up lines add nothing
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(settings.BindAddress, settings.Port));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithMetrics(metrics => metrics.AddMeter(MeterPattern).AddPrometheusExporter());
        var server = builder.Build();
        server.MapPrometheusScrapingEndpoint(ScrapePath);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw PortUnavailable(settings, e.GetBaseException().Message, e);
        }
        string host = settings.BindAddress.Equals(IPAddress.Any) || settings.BindAddress.Equals(IPAddress.IPv6Any)
            ? "127.0.0.1"
            : settings.BindAddress.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{settings.BindAddress}]" : settings.BindAddress.ToString();
        return new PrometheusEndpoint(server, string.Create(CultureInfo.InvariantCulture, $"http://{host}:{settings.Port}{ScrapePath}"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _server.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static CliConfigException PortUnavailable(MetricsEndpointSettings settings, string reason, Exception cause) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"{settings.Source}: {settings.Key}={settings.Port}: cannot serve metrics on {settings.BindAddress}:{settings.Port} ({reason}); " +
            $"set {settings.Key} to a free port below 32768 (see `ss -ltn`), or remove the key to serve no metrics"), cause);
}

/// <summary>Where a process serves its metrics, and which configuration key and file said so (for errors).</summary>
/// <param name="ServiceName">Reported as <c>service_name</c> in <c>target_info</c> (raftmq-broker, raftmq-namesrv).</param>
public sealed record MetricsEndpointSettings(IPAddress BindAddress, int Port, string Key, string Source, string ServiceName);
