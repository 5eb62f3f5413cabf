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
    /// <summary>Builds the Raft node and the message store on it: the log applies to the store's state machine, and the
    /// store proposes to the log and reads from the state machine.</summary>
    public required Func<BrokerNodeConfiguration, ILoggerFactory, (StoreBinding Store, ReplicatedLogBinding Log)> CreateStorage { get; init; }

    /// <summary>Builds the registrar; the delegate it receives describes this broker at the moment it is called.</summary>
    public required Func<BrokerNodeConfiguration, Func<BrokerRegistration>, ILoggerFactory, INameServerRegistrar> CreateRegistrar { get; init; }

    /// <summary>The message store over <c>storePathRootDir</c>, a <see cref="RaftNode"/> (peer links under the broker's
    /// TLS keys) and a <see cref="NameServerRegistrar"/>.</summary>
    public static BrokerNodeWiring Production { get; } = new()
    {
        CreateStorage = static (config, loggers) =>
        {
            var storeLogger = loggers.CreateLogger<MessageStore>();
            MessageStateMachine? machine = null;
            var node = RaftNode.Create(config.Consensus, log => machine = new MessageStateMachine(config.Store, log, storeLogger), loggers,
                new RaftNodeSettings { PeerTls = PeerTlsMapping.For(config.Broker.Tls) });
            var store = new MessageStore(machine!, node, storeLogger);
            return (new StoreBinding(store, store.StartAsync, store.StopAsync),
                new ReplicatedLogBinding(node, node.StartAsync, _ => node.StopAsync(), node.LogCorruption, node.Halted));
        },
        CreateRegistrar = static (config, describe, loggers) =>
            new NameServerRegistrar(config.Registrar, describe, loggers.CreateLogger<NameServerRegistrar>()),
    };
}

/// <summary>A message store as the node needs it: the processors' view and its lifecycle.</summary>
internal sealed record StoreBinding(
    IMessageStore Store,
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
