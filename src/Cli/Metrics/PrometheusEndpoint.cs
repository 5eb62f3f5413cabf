using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RaftMq.Cli.CommandLine;

namespace RaftMq.Cli.Metrics;

/// <summary>
/// Serves every System.Diagnostics.Metrics meter whose name starts with "RaftMq" in the Prometheus text format at
/// <c>http://host:port/metrics</c>, through the OpenTelemetry SDK and its Prometheus HttpListener exporter (names
/// become Prometheus names: dots to underscores, the unit as a suffix, <c>_total</c> on counters). New meters added
/// anywhere in the code appear without changes here.
/// </summary>
public sealed class PrometheusEndpoint : IDisposable
{
    /// <summary>Meter names exported (OpenTelemetry's wildcard syntax).</summary>
    public const string MeterPattern = "RaftMq*";

    public const string ScrapePath = "/metrics";

    private readonly MeterProvider _provider;

    private PrometheusEndpoint(MeterProvider provider, string url)
    {
        _provider = provider;
        Url = url;
    }

    /// <summary>The scrape URL.</summary>
    public string Url { get; }

    /// <summary>
    /// Starts serving; a port that cannot be bound is a configuration error naming the port, the key that sets it
    /// and the file, so the process refuses to start rather than run without the metrics it was asked for.
    /// </summary>
    public static PrometheusEndpoint Start(MetricsEndpointSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        EnsurePortFree(settings);
        string host = settings.BindAddress.Equals(IPAddress.Any) || settings.BindAddress.Equals(IPAddress.IPv6Any)
            ? "*"
            : settings.BindAddress.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{settings.BindAddress}]" : settings.BindAddress.ToString();
        MeterProvider provider;
        try
        {
            provider = Sdk.CreateMeterProviderBuilder()
                .ConfigureResource(resource => resource.AddService(settings.ServiceName))
                .AddMeter(MeterPattern)
                .AddPrometheusHttpListener(options =>
                {
                    options.Host = host;
                    options.Port = settings.Port;
                    options.ScrapeEndpointPath = ScrapePath;
                })
                .Build();
        }
        catch (Exception e) when (e is InvalidOperationException or HttpListenerException or SocketException)
        {
            throw PortUnavailable(settings, e.GetBaseException().Message, e);
        }
        string shown = host == "*" ? "127.0.0.1" : host;
        return new PrometheusEndpoint(provider, string.Create(CultureInfo.InvariantCulture, $"http://{shown}:{settings.Port}{ScrapePath}"));
    }

    public void Dispose() => _provider.Dispose();

    /// <summary>The exporter's listener reports a taken port only as a generic failure; binding first gives the
    /// operator the real reason.</summary>
    private static void EnsurePortFree(MetricsEndpointSettings settings)
    {
        using var probe = new Socket(settings.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(settings.BindAddress, settings.Port));
        }
        catch (SocketException e)
        {
            throw PortUnavailable(settings, e.Message, e);
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
