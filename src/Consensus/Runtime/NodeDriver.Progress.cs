using RaftMq.Consensus.Core;

namespace RaftMq.Consensus.Runtime;

/// <summary>What the loop publishes about replication for readers on other threads (status commands, metrics): the
/// last index and, while leading, each peer's match index.</summary>
internal sealed partial class NodeDriver
{
    private long[] _peerMatch = [];
    private long[] _peerMatchScratch = [];
    private long _lastIndexPublished;

    /// <summary>Last index of the log as last published (readable from any thread).</summary>
    public long LastIndex => Volatile.Read(ref _lastIndexPublished);

    /// <summary>The leader's match index of the peer at <paramref name="slot"/> (peers in configuration order), as
    /// last published; meaningful only while <see cref="State"/> says leader.</summary>
    public long MatchIndexOf(int slot) => Volatile.Read(ref _peerMatch[slot]);

    private void InitProgress(int peers)
    {
        _peerMatch = new long[peers];
        _peerMatchScratch = new long[peers];
        _lastIndexPublished = _log.LastIndex;
    }

    private void PublishProgress()
    {
        Volatile.Write(ref _lastIndexPublished, _core.LastIndex);
        if (_core.SoftState.Role != RaftRole.Leader) return;
        _core.CopyMatchIndexes(_peerMatchScratch);
        for (int i = 0; i < _peerMatchScratch.Length; i++) Volatile.Write(ref _peerMatch[i], _peerMatchScratch[i]);
    }
}
