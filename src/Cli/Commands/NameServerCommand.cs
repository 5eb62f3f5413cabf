using Microsoft.Extensions.Logging;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Hosting;
using RaftMq.Cli.Metrics;
using RaftMq.Foundation.Configuration;
using RaftMq.NameServer.Configuration;

namespace RaftMq.Cli.Commands;

/// <summary><c>raftmq namesrv [-c FILE]</c>: one name server until Ctrl-C or SIGTERM.</summary>
public sealed class NameServerCommand : Command
{
    private static readonly OptionSpec ConfigOption = OptionSpec.Value("config", "c", "FILE", "namesrv.conf (RocketMQ properties); defaults apply without it");

    public override string Name => "namesrv";

    public override string Summary => "run a name server (route registry; default port 9876)";

    protected override IReadOnlyList<OptionSpec> VerbOptions => [ConfigOption];

    protected override string Notes => "example: raftmq namesrv -c conf/dledger/namesrv.conf";

    public override async Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        string? configPath = args.Get(ConfigOption.Name);
        var options = configPath is null
            ? new NameServerOptions()
            : NameServerOptions.FromProperties(PropertiesFile.Load(context.ResolvePath(configPath)));
        options.Validate();

        var logSettings = LogSettings.ForServer(context.LogDirectory(args), "namesrv");
        using var loggerFactory = CliLogging.CreateFactory(logSettings);
        LogMessages.Starting(loggerFactory.CreateLogger("RaftMq.Cli.Host"), Name, Environment.ProcessId, logSettings.LogDirectory);
        await using var server = new NameServer.NameServer(options, loggerFactory.CreateLogger("RaftMq.NameServer"));
        var component = new ServerComponent(Name, server.StartAsync, server.StopAsync);
        var metrics = new MetricsEndpointSettings(options.BindAddress, options.MetricsPort, NameServerKeys.MetricsPort, options.Source, "raftmq-namesrv");
        var hostLogger = loggerFactory.CreateLogger("RaftMq.Cli.Host");
        component = MeteredComponent.With(component, metrics, url => LogMessages.ServingMetrics(hostLogger, Name, url));
        return await ServerHost.RunAsync(component, loggerFactory, context).ConfigureAwait(false);
    }
}
