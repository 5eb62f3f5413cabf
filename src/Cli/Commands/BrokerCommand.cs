using Microsoft.Extensions.Logging;
using RaftMq.Broker.Hosting;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Hosting;
using RaftMq.Cli.Metrics;

namespace RaftMq.Cli.Commands;

/// <summary>
/// <c>raftmq broker -c FILE</c>: one broker node (message store + Raft node + processors + name-server registrar)
/// from a RocketMQ-style broker.conf, until Ctrl-C or SIGTERM, or until the node halts (exit code 1). The verb parses
/// its arguments only: <see cref="BrokerNodeConfiguration"/> reads every key and <see cref="BrokerNode"/> assembles the node.
/// </summary>
public sealed class BrokerCommand : Command
{
    private static readonly OptionSpec ConfigOption = OptionSpec.Value("config", "c", "FILE", "broker.conf (RocketMQ properties), required");

    public override string Name => "broker";

    public override string Summary => "run a broker node of a Raft group (conf/dledger/broker-n0.conf ...)";

    protected override IReadOnlyList<OptionSpec> VerbOptions => [ConfigOption];

    protected override string Notes => "example: raftmq broker -c conf/dledger/broker-n0.conf";

    public override async Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        string path = context.ResolvePath(args.Require(ConfigOption.Name));
        if (!File.Exists(path)) throw new CliConfigException($"{path}: no such configuration file");
        var config = BrokerNodeConfiguration.Load(path);
        var logSettings = LogSettings.ForServer(context.LogDirectory(args), $"broker-{config.Consensus.SelfId}");
        using var loggers = CliLogging.CreateFactory(logSettings);
        LogMessages.Starting(loggers.CreateLogger("RaftMq.Cli.Host"), Name, Environment.ProcessId, logSettings.LogDirectory);
        await using var node = BrokerNode.Create(config, loggers);
        var component = new ServerComponent(Name, node.StartAsync, token => node.StopAsync(token), () => node.Halted);
        var metrics = new MetricsEndpointSettings(config.Broker.BindAddress, config.Broker.MetricsPort, BrokerKeys.MetricsPort, path, "raftmq-broker");
        var hostLogger = loggers.CreateLogger("RaftMq.Cli.Host");
        component = MeteredComponent.With(component, metrics, url => LogMessages.ServingMetrics(hostLogger, Name, url));
        return await ServerHost.RunAsync(component, loggers, context).ConfigureAwait(false);
    }
}
