using System.Runtime.CompilerServices;

// The processor tests check internals of the send path (pooled record batches) directly.
[assembly: InternalsVisibleTo("RaftMq.Broker.Tests")]
