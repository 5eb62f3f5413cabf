using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store;
using RaftMq.Consensus;
using RaftMq.Consensus.Configuration;
using RaftMq.Foundation.Configuration;

namespace RaftMq.Broker.Hosting;

/// <summary>
/// The three components <see cref="BrokerNode"/> composes but does not construct itself, because they live in
/// other folders (built in parallel): the message store (src/Broker/Store), the Raft node (src/Consensus/Runtime)
/// and the name-server registrar (src/Broker/Registration). The executable fills these factories once, e.g.
/// <code>
/// CreateStore = (config, loggers) =&gt; { var s = new MessageStore(...); return new StoreBinding(s, s, s.Attach, s.StartAsync, s.StopAsync); },
/// CreateReplicatedLog = (consensus, stateMachine, loggers) =&gt; { var n = RaftNode.Create(consensus, stateMachine, loggers); return new ReplicatedLogBinding(n, n.StartAsync, n.StopAsync); },
/// CreateRegistrar = (config, snapshot, loggers) =&gt; new NameServerRegistrar(..., snapshot, ...),
/// </code>
/// </summary>
public sealed record BrokerNodeWiring
{
    /// <summary>Builds the store; it is both the processors' <see cref="IMessageStore"/> and the log's state machine.</summary>
    public required Func<BrokerNodeConfiguration, ILoggerFactory, StoreBinding> CreateStore { get; init; }

    /// <summary>Builds the consensus node that applies committed entries to the given state machine.</summary>
    public required Func<ConsensusOptions, IStateMachine, ILoggerFactory, ReplicatedLogBinding> CreateReplicatedLog { get; init; }

    /// <summary>Builds the registrar; the delegate it receives describes this broker at the moment it is called.</summary>
    public required Func<BrokerNodeConfiguration, Func<BrokerRegistration>, ILoggerFactory, INameServerRegistrar> CreateRegistrar { get; init; }
}

/// <summary>A message store as the node needs it: its two faces, how to give it the log, and its lifecycle.</summary>
/// <param name="AttachLog">Hands the store the replicated log (built after the store, because the log needs the state machine).</param>
public sealed record StoreBinding(
    IMessageStore Store,
    IStateMachine StateMachine,
    Action<IReplicatedLog> AttachLog,
    Func<CancellationToken, Task> StartAsync,
    Func<CancellationToken, Task> StopAsync);

/// <summary>A replicated log with its lifecycle.</summary>
/// <param name="CorruptionAtOpen">Why the log was found corrupt when it was opened (null when it is sound): the node then
/// starts nothing, so it never serves, registers or rewrites derived files on its way to halting.</param>
public sealed record ReplicatedLogBinding(
    IReplicatedLog Log,
    Func<CancellationToken, Task> StartAsync,
    Func<CancellationToken, Task> StopAsync,
    string? CorruptionAtOpen = null);

/// <summary>Everything read from one broker.conf: the broker's options, the consensus options, and the file itself
/// (component factories may read further keys from it before unknown keys are reported).</summary>
public sealed record BrokerNodeConfiguration(PropertiesFile File, BrokerOptions Broker, ConsensusOptions Consensus)
{
    /// <summary>Loads and validates a broker.conf; errors name the key, the value and the file.</summary>
    public static BrokerNodeConfiguration Load(string path) => FromFile(PropertiesFile.Load(path));

    public static BrokerNodeConfiguration FromFile(PropertiesFile file) =>
        new(file, BrokerOptions.FromProperties(file), ConsensusOptions.FromProperties(file));
}
