namespace RaftMq.Broker.Hosting;

/// <summary>The node's Raft log was found corrupt when opened: the broker refuses to start anything.</summary>
public sealed class CorruptLogException(string message) : Exception(message);
