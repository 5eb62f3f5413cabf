using Microsoft.Playwright;
using RaftMq.Dashboard;
using RaftMq.Integration.Tests.EndToEnd;

namespace RaftMq.Dashboard.Tests;

/// <summary>
/// One real cluster (name server + 3-node group as raftmq processes), one dashboard in this process reading it with
/// short poll intervals, and one headless Debian Chromium driven by Playwright, shared by the tests of the class.
/// Playwright's own browser download is not used: <see cref="ChromiumPath"/> points at the system binary.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private DashboardServer? _dashboard;

    public E2ECluster Cluster { get; } = new();

    public DashboardServer Dashboard => _dashboard ?? throw new InvalidOperationException("not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    /// <summary>Screenshots go to artifacts/dashboard at the repository root (test artifacts).</summary>
    public string ArtifactDirectory { get; } = FindArtifactDirectory();

    /// <summary>$RAFTMQ_CHROMIUM, else Debian's chromium package.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("RAFTMQ_CHROMIUM") is { Length: > 0 } path ? path
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
          ?? throw new InvalidOperationException("Chromium not found: apt-get install -y chromium (scripts/test.sh does it), or set RAFTMQ_CHROMIUM");

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        _dashboard = new DashboardServer(new DashboardOptions
        {
            NameServerAddresses = [Cluster.NameServer], Port = 0,
            SampleInterval = TimeSpan.FromSeconds(1), ClusterRefreshInterval = TimeSpan.FromSeconds(1), History = TimeSpan.FromMinutes(5),
        });
        await _dashboard.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A new page at 1440x900 with the dashboard as base address.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Dashboard.Address, ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_dashboard is not null) await _dashboard.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    private static string FindArtifactDirectory()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "RaftMq.sln"))) folder = folder.Parent;
        string path = Path.Combine(folder?.FullName ?? Path.GetTempPath(), "artifacts", "dashboard");
        Directory.CreateDirectory(path);
        return path;
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "raftmq dashboard in a browser";
}
