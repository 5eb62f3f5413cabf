using System.Net;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Hosting;
using RaftMq.Cli.Tools;
using RaftMq.Dashboard;

namespace RaftMq.Cli.Dashboard;

/// <summary><c>raftmq dashboard -n ADDR [--port 8080] [--bind 127.0.0.1]</c>: the web console until Ctrl-C or SIGTERM.</summary>
public sealed class DashboardCommand : Command
{
    public const int DefaultPort = 8080;

    private static readonly OptionSpec PortOption = OptionSpec.Value("port", "p", "PORT", $"HTTP port (default {DefaultPort})");
    private static readonly OptionSpec BindOption = OptionSpec.Value("bind", null, "IP", "address to listen on (default 127.0.0.1; the console has no login)");
    private static readonly OptionSpec SampleOption = OptionSpec.Value("sample-interval", null, "DURATION", "how often the cockpit samples the cluster, 1s..5m (default 5s)");
    private static readonly OptionSpec RefreshOption = OptionSpec.Value("cluster-refresh", null, "DURATION", "how often the cluster page re-reads the nodes, 1s..5m (default 2s)");

    public override string Name => "dashboard";

    public override string Summary => "web console for the cluster: cockpit, cluster, topics, consumers, messages (default port 8080)";

    protected override IReadOnlyList<OptionSpec> VerbOptions => [.. ClientCommand.ConnectionOptions, PortOption, BindOption, SampleOption, RefreshOption];

    protected override string Notes => "example: raftmq dashboard -n 127.0.0.1:9876 --port 8080   (pages and poll intervals: docs/dashboard.md)\n" +
        "ACL + TLS: --access-key/--secret-key of an admin account and --tls-ca-file, as the other client verbs (docs/security.md)";

    public override async Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        var options = BuildOptions(args);
        var logSettings = LogSettings.ForServer(context.LogDirectory(args), "dashboard");
        using var loggerFactory = CliLogging.CreateFactory(logSettings);
        await using var server = new DashboardServer(options, loggerFactory);
        var component = new ServerComponent(Name, async token =>
        {
            await server.StartAsync(token).ConfigureAwait(false);
            string security = (options.Tls is null ? "plaintext" : "TLS") + (options.Credentials is { } keys ? $", signed as {keys.AccessKey}" : "");
            await context.Out.WriteLineAsync($"dashboard: {server.Address} (name servers {string.Join(";", options.NameServerAddresses)}, {security})").ConfigureAwait(false);
        }, _ => server.StopAsync());
        return await ServerHost.RunAsync(component, loggerFactory, context).ConfigureAwait(false);
    }

    private static DashboardOptions BuildOptions(ParsedArgs args)
    {
        string bind = args.Get(BindOption.Name, "127.0.0.1");
        if (!IPAddress.TryParse(bind, out var address)) throw new UsageException($"option --bind: '{bind}' is not an IP address");
        var options = new DashboardOptions
        {
            NameServerAddresses = ClientCommand.NameServers(args),
            Credentials = ClientCommand.Credentials(args),
            Tls = ClientCommand.Tls(args),
            Port = args.GetInt(PortOption.Name, DefaultPort, 1, 65535),
            BindAddress = address,
            SampleInterval = args.GetDuration(SampleOption.Name, TimeSpan.FromSeconds(5)),
            ClusterRefreshInterval = args.GetDuration(RefreshOption.Name, TimeSpan.FromSeconds(2)),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"dashboard: {e.Message}");
        }
        return options;
    }
}
