using System.Runtime.CompilerServices;

// Store tests inspect derived files and drive checkpoints and the offset committer directly.
[assembly: InternalsVisibleTo("RaftMq.Broker.Tests")]

// The deterministic simulator runs the state machine on every simulated node, reads its ConsumeQueues and plants bugs.
[assembly: InternalsVisibleTo("RaftMq.Consensus.Tests")]
