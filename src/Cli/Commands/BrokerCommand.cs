using RaftMq.Protocol.Acl;
using Microsoft.Extensions.Logging;
using RaftMq.Broker.Hosting;
using RaftMq.Broker.Registration;
using RaftMq.Broker.Store;
using RaftMq.Cli.CommandLine;
using RaftMq.Cli.Hosting;
using RaftMq.Cli.Metrics;
using RaftMq.Consensus.Runtime;

namespace RaftMq.Cli.Commands;

/// <summary>
/// <c>raftmq broker -c FILE</c>: one broker node (message store + Raft node + processors + name-server registrar)
/// from a RocketMQ-style broker.conf, until Ctrl-C or SIGTERM. This is where the executable wires the components
/// <see cref="BrokerNode"/> composes (see <see cref="BrokerNodeWiring"/>).
/// </summary>
public sealed class BrokerCommand : Command
{
    private const string RegisterTimeoutKey = NameServerRegistrarOptions.TimeoutKey;
    private static readonly OptionSpec ConfigOption = OptionSpec.Value("config", "c", "FILE", "broker.conf (RocketMQ properties), required");
    private static readonly TimeSpan HaltCheckInterval = TimeSpan.FromSeconds(1);

    public override string Name => "broker";

    public override string Summary => "run a broker node of a Raft group (conf/dledger/broker-n0.conf ...)";

    protected override IReadOnlyList<OptionSpec> VerbOptions => [ConfigOption];

    protected override string Notes => "example: raftmq broker -c conf/dledger/broker-n0.conf";

    public override async Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        string path = context.ResolvePath(args.Require(ConfigOption.Name));
        if (!File.Exists(path)) throw new CliConfigException($"{path}: no such configuration file");
        var config = BrokerNodeConfiguration.Load(path);
        var registrar = RegistrarOptions(config);
        var store = new MessageStoreOptions
        {
            StoreDirectory = config.Consensus.StorePathRootDir,
            MaxMessageSizeBytes = config.Broker.MaxMessageSizeBytes,
            DefaultTopicQueueNums = config.Broker.DefaultTopicQueueNums,
            MaxHashSlotNum = config.Broker.MaxHashSlotNum,
            MaxIndexNum = config.Broker.MaxIndexNum,
        };
        store.Validate();

        var logSettings = LogSettings.ForServer(context.LogDirectory(args), $"broker-{config.Consensus.SelfId}");
        using var loggers = CliLogging.CreateFactory(logSettings);
        LogMessages.Starting(loggers.CreateLogger("RaftMq.Cli.Host"), Name, Environment.ProcessId, logSettings.LogDirectory);
        RaftNode? raftNode = null;
        var wiring = new BrokerNodeWiring
        {
            CreateStore = (_, factory) =>
            {
                var messageStore = new MessageStore(null, store, factory.CreateLogger<MessageStore>());
                return new StoreBinding(messageStore, messageStore, messageStore.Attach, messageStore.StartAsync, messageStore.StopAsync);
            },
            CreateReplicatedLog = (consensus, stateMachine, factory) =>
            {
                raftNode = RaftNode.Create(consensus, stateMachine, factory, new RaftNodeSettings { PeerTls = PeerTlsMapping.For(config.Broker.Tls) });
                var created = raftNode;
                return new ReplicatedLogBinding(created, created.StartAsync, _ => created.StopAsync(), created.LogCorruption);
            },
            CreateRegistrar = (_, snapshot, factory) => new NameServerRegistrar(registrar, snapshot, factory.CreateLogger<NameServerRegistrar>()),
        };
        await using var node = new BrokerNode(config, wiring, loggers);
        var component = new ServerComponent(Name, node.StartAsync, token => node.StopAsync(token), () => WaitForHaltAsync(() => raftNode, context.Stopping));
        var metrics = new MetricsEndpointSettings(config.Broker.BindAddress, config.Broker.MetricsPort, BrokerKeys.MetricsPort, path, "raftmq-broker");
        var hostLogger = loggers.CreateLogger("RaftMq.Cli.Host");
        component = MeteredComponent.With(component, metrics, url => LogMessages.ServingMetrics(hostLogger, Name, url));
        return await ServerHost.RunAsync(component, loggers, context).ConfigureAwait(false);
    }

    private static NameServerRegistrarOptions RegistrarOptions(BrokerNodeConfiguration config)
    {
        if (config.Broker.NameServerAddresses.Count == 0)
            throw config.File.Error(BrokerKeys.NameServerAddress, "at least one name server address (host:port) is required");
        var options = new NameServerRegistrarOptions
        {
            NameServerAddresses = config.Broker.NameServerAddresses,
            RegisterPeriod = config.Broker.RegisterNameServerPeriod,
            RequestTimeout = TimeSpan.FromMilliseconds(config.File.GetInt32(RegisterTimeoutKey, 6000, 100, 60_000)),
            SourceFile = config.File.FilePath,
            Credentials = ReadCredentials(config),
            Tls = config.Broker.Tls.Client,
        };
        options.Validate();
        return options;
    }

    /// <summary>broker.conf <c>accessKey</c>/<c>secretKey</c>: both or neither.</summary>
    private static AclCredentials? ReadCredentials(BrokerNodeConfiguration config)
    {
        string? accessKey = config.File.GetString(BrokerKeys.AccessKey), secretKey = config.File.GetString(BrokerKeys.SecretKey);
        if (accessKey is null && secretKey is null) return null;
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
            throw config.File.Error(accessKey is null ? BrokerKeys.AccessKey : BrokerKeys.SecretKey, "give both accessKey and secretKey, or neither");
        return new AclCredentials(accessKey, secretKey);
    }

    /// <summary>
    /// A node whose log cannot be written (or whose core found a broken invariant) halts: it no longer takes part in
    /// the group. The process then exits with an error, so that a supervisor or an operator notices.
    /// </summary>
    private static async Task<string> WaitForHaltAsync(Func<RaftNode?> node, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(HaltCheckInterval);
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
        {
            if (node()?.HaltReason is { } reason) return $"the Raft node halted: {reason}";
        }
        return "stopping";
    }
}
