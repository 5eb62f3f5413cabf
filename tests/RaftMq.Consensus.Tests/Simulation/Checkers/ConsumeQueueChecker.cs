using System.Text;
using RaftMq.Consensus.Tests.Simulation.Broker;

namespace RaftMq.Consensus.Tests.Simulation.Checkers;

/// <summary>
/// The broker's state is a function of the committed log, so every replica agrees on it: a queue offset names the same
/// log position on every node and at every time (offsets -> positions, units in increasing position order, every unit
/// of [floor, next) in the files), and nodes that applied the same index have the same queue ends, the same
/// committed consumer offsets and the same subscription groups. A drop of a topic's queues starts a new incarnation of
/// them (offsets from 0 again), told apart by the log position of the dropping entry.
/// </summary>
internal sealed class ConsumeQueueChecker
{
    private readonly Dictionary<(string Topic, int QueueId, long DroppedAt, long Offset), (long Pos, string Node)> _units = new();
    private readonly HashSet<(string Topic, long DroppedAt)> _drops = [];

    public int Checks { get; private set; }

    /// <summary>Distinct (queue, offset) units seen so far.</summary>
    public int Units => _units.Count;

    /// <summary>Distinct drops of a topic's queues seen applied.</summary>
    public int Drops => _drops.Count;

    public void Check(IEnumerable<SimNode> nodes)
    {
        Checks++;
        var stateAt = new Dictionary<long, (string Node, string State)>();
        foreach (SimNode node in nodes)
        {
            if (node.Broker is not { } broker) continue;
            var store = broker.Store;
            var queues = store.ConsumeQueueImages();
            var state = new StringBuilder();
            foreach (var queue in queues)
            {
                CheckQueue(node.Id, queue);
                if (queue.DroppedAt >= 0) _drops.Add((queue.Topic, queue.DroppedAt));
                state.Append($"{queue.Topic}/{queue.QueueId} dropped at {queue.DroppedAt} next {queue.Next}; ");
            }
            foreach (var offset in store.AppliedConsumerOffsetRecords())
            {
                state.Append($"{offset.Group} {offset.Topic}/{offset.QueueId} at {offset.Offset}; ");
            }
            state.Append($"groups v{store.SubscriptionGroupVersion}: ");
            foreach (var group in store.SubscriptionGroups.OrderBy(g => g.GroupName, StringComparer.Ordinal))
            {
                state.Append($"{group.GroupName} retries {group.RetryMaxTimes}; ");
            }
            long applied = store.AppliedIndex;
            string described = state.ToString();
            if (stateAt.TryGetValue(applied, out var other) && other.State != described)
            {
                throw new SimulationViolationException(
                    $"consume queues: {node.Id} and {other.Node} both applied index {applied} but differ: {node.Id}: [{described}] {other.Node}: [{other.State}]");
            }
            stateAt[applied] = (node.Id, described);
        }
    }

    private void CheckQueue(string node, RaftMq.Broker.Store.ConsumeQueueImage queue)
    {
        if (queue.PhysicalOffsets.Length != queue.Next - queue.Floor)
        {
            throw new SimulationViolationException(
                $"consume queues: {node} {queue.Topic}/{queue.QueueId} holds {queue.PhysicalOffsets.Length} units of [{queue.Floor}, {queue.Next})");
        }
        long previous = -1;
        for (int i = 0; i < queue.PhysicalOffsets.Length; i++)
        {
            long offset = queue.Floor + i, pos = queue.PhysicalOffsets[i];
            if (pos <= previous)
            {
                throw new SimulationViolationException(
                    $"consume queues: {node} {queue.Topic}/{queue.QueueId} offset {offset} -> pos {pos} is not after offset {offset - 1} -> pos {previous}");
            }
            previous = pos;
            var key = (queue.Topic, queue.QueueId, queue.DroppedAt, offset);
            if (_units.TryGetValue(key, out var seen))
            {
                if (seen.Pos != pos)
                {
                    throw new SimulationViolationException(
                        $"consume queues: {node} has {queue.Topic}/{queue.QueueId} (dropped at {queue.DroppedAt}) offset {offset} -> pos {pos}, {seen.Node} had -> pos {seen.Pos}");
                }
            }
            else
            {
                _units.Add(key, (pos, node));
            }
        }
    }
}
