using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Dashboard.Activity;
using RaftMq.Dashboard.Cluster;
using RaftMq.Dashboard.Pages;

namespace RaftMq.Dashboard;

/// <summary>
/// The web console: a Kestrel server with server-rendered pages, the activity sampler, and one cluster gateway. Start it,
/// read <see cref="Address"/>, stop it. Cross-site form posts are refused (the console has no login; it binds to
/// loopback by default).
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly DashboardOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private WebApplication? _app;
    private ClusterGateway? _cluster;
    private CancellationTokenSource? _stopping;
    private Task? _sampler;

    public DashboardServer(DashboardOptions options, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<DashboardServer>();
    }

    /// <summary>"http://host:port" once started.</summary>
    public string Address { get; private set; } = "";

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null) throw new InvalidOperationException("The dashboard is already started.");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(DashboardServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders(); // the dashboard logs its own events; per-request framework logs would drown them
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(_options.BindAddress, _options.Port));
        var app = builder.Build();

        var leaders = new LeaderWatch(_loggers.CreateLogger<LeaderWatch>());
        _cluster = new ClusterGateway(_options, leaders, _loggers);
        await _cluster.StartAsync(cancellationToken).ConfigureAwait(false);
        var history = new ActivityHistory(Math.Max(2, (int)(_options.History / _options.SampleInterval)));
        var services = new DashboardServices(_cluster, history, _options, _loggers.CreateLogger("RaftMq.Dashboard.Pages"));

        app.Use(RefuseCrossSitePosts);
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ShowError });
        DashboardEndpoints.Map(app, services);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal);
        _stopping = new CancellationTokenSource();
        var sampler = new ActivitySampler(_cluster, history, _options, _loggers.CreateLogger<ActivitySampler>());
        _sampler = Task.Run(() => sampler.RunAsync(_stopping.Token), CancellationToken.None);
        _logger.DashboardStarted(Address, string.Join(";", _options.NameServerAddresses));
    }

    public async Task StopAsync()
    {
        if (_stopping is null || _stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_sampler is not null) await _sampler.ConfigureAwait(false);
        if (_app is not null) await _app.StopAsync().ConfigureAwait(false);
        _logger.DashboardStopped();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_app is not null) await _app.DisposeAsync().ConfigureAwait(false);
        if (_cluster is not null) await _cluster.DisposeAsync().ConfigureAwait(false);
        _stopping?.Dispose();
        _app = null;
    }

    /// <summary>Browsers mark requests from other sites; a form on another site must not be able to delete topics here.</summary>
    private static Task RefuseCrossSitePosts(HttpContext http, RequestDelegate next)
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.Headers["Sec-Fetch-Site"] == "cross-site")
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return http.Response.WriteAsync("cross-site form posts are refused");
        }
        return next(http);
    }

    /// <summary>A bug in a page still answers with a short page, never a stack trace.</summary>
    private static async Task ShowError(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync("<!DOCTYPE html><html><body><h1>Something went wrong</h1><p>The dashboard could not render this page; details are in its log.</p>" +
            "<p><a href=\"/\">Back to the cockpit</a></p></body></html>").ConfigureAwait(false);
    }
}
