using System.Runtime.CompilerServices;

// Store tests inspect derived files and drive checkpoints and the offset committer directly.
[assembly: InternalsVisibleTo("RaftMq.Broker.Tests")]
