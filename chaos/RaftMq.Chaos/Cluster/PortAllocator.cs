namespace RaftMq.Chaos.Cluster;

/// <summary>Hands out TCP ports for a cluster layout.</summary>
public interface IPortAllocator
{
    IReadOnlyList<int> Allocate(int count);
}

/// <summary>
/// Free loopback ports below the kernel's ephemeral range (<see cref="RaftMq.Protocol.Remoting.LoopbackPorts"/>), so
/// that outgoing connections of a busy machine cannot take one before the node binds it. Another process binding
/// the same port on purpose still can; a run that hits that fails at startup, loudly.
/// </summary>
public sealed class LoopbackPortAllocator : IPortAllocator
{
    public IReadOnlyList<int> Allocate(int count) => RaftMq.Protocol.Remoting.LoopbackPorts.Allocate(count);
}
