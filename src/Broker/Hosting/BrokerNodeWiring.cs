using Microsoft.Extensions.Logging;
using RaftMq.Broker.Registration;
using RaftMq.Broker.Store;
using RaftMq.Consensus;
using RaftMq.Consensus.Runtime;

namespace RaftMq.Broker.Hosting;

/// <summary>
/// How <see cref="BrokerNode"/> builds the three components that touch disks, peers and name servers: the message
/// store, the Raft node that applies to it, and the name-server registrar. <see cref="Production"/> builds the real
/// ones; tests give fakes.
/// </summary>
internal sealed record BrokerNodeWiring
{
    /// <summary>Builds the store; it is both the processors' <see cref="IMessageStore"/> and the log's state machine.</summary>
    public required Func<BrokerNodeConfiguration, ILoggerFactory, StoreBinding> CreateStore { get; init; }

    /// <summary>Builds the consensus node that applies committed entries to the given state machine.</summary>
    public required Func<BrokerNodeConfiguration, IStateMachine, ILoggerFactory, ReplicatedLogBinding> CreateReplicatedLog { get; init; }

    /// <summary>Builds the registrar; the delegate it receives describes this broker at the moment it is called.</summary>
    public required Func<BrokerNodeConfiguration, Func<BrokerRegistration>, ILoggerFactory, INameServerRegistrar> CreateRegistrar { get; init; }

    /// <summary>The message store over <c>storePathRootDir</c>, a <see cref="RaftNode"/> (peer links under the broker's
    /// TLS keys) and a <see cref="NameServerRegistrar"/>.</summary>
    public static BrokerNodeWiring Production { get; } = new()
    {
        CreateStore = static (config, loggers) =>
        {
            var store = new MessageStore(null, config.Store, loggers.CreateLogger<MessageStore>());
            return new StoreBinding(store, store, store.Attach, store.StartAsync, store.StopAsync);
        },
        CreateReplicatedLog = static (config, stateMachine, loggers) =>
        {
            var node = RaftNode.Create(config.Consensus, stateMachine, loggers, new RaftNodeSettings { PeerTls = PeerTlsMapping.For(config.Broker.Tls) });
            return new ReplicatedLogBinding(node, node.StartAsync, _ => node.StopAsync(), node.LogCorruption, node.Halted);
        },
        CreateRegistrar = static (config, describe, loggers) =>
            new NameServerRegistrar(config.Registrar, describe, loggers.CreateLogger<NameServerRegistrar>()),
    };
}

/// <summary>A message store as the node needs it: its two faces, how to give it the log, and its lifecycle.</summary>
/// <param name="AttachLog">Hands the store the replicated log (built after the store, because the log needs the state machine).</param>
internal sealed record StoreBinding(
    IMessageStore Store,
    IStateMachine StateMachine,
    Action<IReplicatedLog> AttachLog,
    Func<CancellationToken, Task> StartAsync,
    Func<CancellationToken, Task> StopAsync);

/// <summary>A replicated log with its lifecycle.</summary>
/// <param name="CorruptionAtOpen">Why the log was found corrupt when it was opened (null when it is sound): the node then
/// starts nothing, so it never serves, registers or rewrites derived files on its way to halting.</param>
/// <param name="Halted">Completes with the reason when the log halts (null: this log never halts).</param>
internal sealed record ReplicatedLogBinding(
    IReplicatedLog Log,
    Func<CancellationToken, Task> StartAsync,
    Func<CancellationToken, Task> StopAsync,
    string? CorruptionAtOpen = null,
    Task<string>? Halted = null);
