using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Tests.Simulation;

/// <summary>
/// The slow-peer fault and the virtual CPU cost of a round. A slow peer's links stall: messages to and from it wait in
/// per-link buffers bounded like the transport's queue plus the kernel's socket buffers (beyond them a send is lost),
/// and its process is often frozen too (SIGSTOP). When it recovers, everything held is delivered in a burst, in order.
/// </summary>
internal sealed partial class Simulation
{
    private sealed class HeldLink
    {
        public List<Message> Messages { get; } = new();
        public long Bytes { get; set; }
    }

    private readonly Dictionary<(int From, int To), HeldLink> _heldLinks = new();
    private readonly HashSet<int> _slowNodes = new();

    /// <summary>True when the message was taken by a slow link (held or lost); false when it travels normally.</summary>
    private bool HoldForSlowPeer(Message message)
    {
        if (_slowNodes.Count == 0) return false;
        int from = IndexOf(message.From), to = IndexOf(message.To);
        if (!_slowNodes.Contains(from) && !_slowNodes.Contains(to)) return false;
        if (!_heldLinks.TryGetValue((from, to), out HeldLink? link)) _heldLinks[(from, to)] = link = new HeldLink();
        long bytes = EntryBytes(message);
        // One message always fits an empty buffer, as the transport always takes one payload into an empty queue.
        if (link.Messages.Count > 0 && (link.Messages.Count >= _profile.SlowLinkMaxMessages || link.Bytes + bytes > _profile.SlowLinkMaxBytes))
        {
            return true;
        }
        link.Messages.Add(message);
        link.Bytes += bytes;
        return true;
    }

    private void MakeSlow(SimNode? node, Random pick)
    {
        if (node is null || !node.Alive || _slowNodes.Contains(node.Index)) return;
        _slowNodes.Add(node.Index);
        // Half the time the process is frozen as well (SIGSTOP): it neither ticks nor reads its sockets.
        bool frozen = pick.Next(2) == 0;
        if (frozen) node.Paused = true;
        Trace($"{node.Id} is slow{(frozen ? " and frozen" : "")} ({node.Core!.SoftState.Role})");
    }

    private void EndSlowPeer(Random pick)
    {
        if (_slowNodes.Count == 0) return;
        int[] slow = _slowNodes.Order().ToArray();
        EndSlowPeer(_nodes[slow[pick.Next(slow.Length)]]);
    }

    /// <summary>The peer recovers: its process resumes and the held messages of its links arrive in one burst.</summary>
    private void EndSlowPeer(SimNode node)
    {
        if (!_slowNodes.Remove(node.Index)) return;
        int released = 0;
        foreach (((int from, int to), HeldLink link) in _heldLinks.OrderBy(l => l.Key.From).ThenBy(l => l.Key.To))
        {
            if (from != node.Index && to != node.Index) continue;
            // Still held when the other end is slow as well.
            if (_slowNodes.Contains(from) || _slowNodes.Contains(to)) continue;
            foreach (Message message in link.Messages)
            {
                Schedule(_now + 1, new SimEvent(SimEventKind.Deliver, to, _nodes[from].Generation, message, null));
                released++;
            }
            link.Messages.Clear();
            link.Bytes = 0;
        }
        Trace($"{node.Id} recovers: {released} held messages delivered in a burst");
        if (node.Alive && node.Paused) Resume(node);
    }

    private void EndAllSlowPeers()
    {
        foreach (int index in _slowNodes.Order().ToArray()) EndSlowPeer(_nodes[index]);
    }

    private bool IsSlow(SimNode node) => _slowNodes.Contains(node.Index);

    /// <summary>Virtual steps the round's CPU work took: entry bytes read from the log and encoded into messages.</summary>
    private int CpuSteps(SimNode node)
    {
        if (_profile.CpuBytesPerStep <= 0) return 0;
        long bytes = 0;
        foreach (Message message in node.Outbox) bytes += EntryBytes(message);
        return (int)(bytes / _profile.CpuBytesPerStep);
    }

    private static long EntryBytes(Message message)
    {
        long bytes = 64;
        for (int i = 0; i < message.Entries.Count; i++) bytes += message.Entries[i].Size;
        return bytes;
    }

    /// <summary>Healthy for the leadership-stability checker: running, not slow, a fast and faultless disk.</summary>
    private bool IsHealthy(SimNode node) =>
        node.Running && !IsSlow(node) && node.MaxDiskLatency <= 3
        && node.Disk.Faults is { FsyncFailure: 0, ReadCorruption: 0, DiskFull: false };

    /// <summary>Connected: the network is lossless and no link is cut (the profile has no partial partitions).</summary>
    private bool NetworkIsClean => _network.DropRate == 0 && !_network.AnyBlocked && _network.MaxDelaySteps <= 4;

    private void UpdateHealth()
    {
        if (_leadership is null) return;
        bool clean = NetworkIsClean;
        foreach (SimNode node in _nodes) _leadership.OnHealth(node.Index, clean && IsHealthy(node), _now);
    }
}
