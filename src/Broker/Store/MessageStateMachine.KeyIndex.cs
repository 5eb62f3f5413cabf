using System.Buffers;
using System.Text;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Log;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Store;

/// <summary>Keeping the on-disk key index a function of the log, and answering key queries from it.</summary>
public sealed partial class MessageStateMachine
{
    /// <summary>Index entries looked at per query at most (hash collisions and out-of-range times included).</summary>
    internal const int MaxKeyCandidates = 4096;

    /// <summary>Files of the key index (tests and the status line read it).</summary>
    internal int KeyIndexFileCount => _keyIndex.FileCount;

    public IReadOnlyList<long> QueryByKey(string topic, string key, int maxNum, long beginTimestampMs, long endTimestampMs)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(key);
        var found = new List<long>();
        if (maxNum <= 0) return found;
        long started = _timeProvider.GetTimestamp();
        var scratch = new ArrayBufferWriter<byte>(1024);
        foreach (long offset in _keyIndex.Candidates(topic, key, beginTimestampMs, endTimestampMs, MaxKeyCandidates))
        {
            if (StoredBeforeDrop(topic, offset)) continue; // the dropped topic's message, not the re-created one's
            scratch.ResetWrittenCount();
            if (!TryReadMessage(offset, scratch)) continue; // gone with log retention, or not a dispatched message
            if (!CarriesKey(StoredMessageView.Read(scratch.WrittenSpan), topic, key, beginTimestampMs, endTimestampMs)) continue;
            found.Add(offset);
            if (found.Count == maxNum) break;
        }
        found.Reverse(); // the newest maxNum, oldest first
        _metrics.KeyQueryDone(_timeProvider.GetElapsedTime(started));
        return found;
    }

    /// <summary>The index holds hashes at second resolution: the message itself decides.</summary>
    private static bool CarriesKey(StoredMessageView message, string topic, string key, long beginTimestampMs, long endTimestampMs)
    {
        if (message.StoreTimestamp < beginTimestampMs || message.StoreTimestamp > endTimestampMs) return false;
        Span<byte> keyUtf8 = key.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        keyUtf8 = keyUtf8[..Encoding.UTF8.GetBytes(key, keyUtf8)];
        if (!message.TopicUtf8.SequenceEqual(Encoding.UTF8.GetBytes(topic))) return false;
        var properties = message.PropertiesUtf8;
        if (MessageProperties.TryGetValue(properties, "UNIQ_KEY"u8, out var uniqueKey) && uniqueKey.SequenceEqual(keyUtf8)) return true;
        if (!MessageProperties.TryGetValue(properties, "KEYS"u8, out var keys)) return false;
        foreach (var range in keys.Split((byte)' '))
        {
            if (keys[range].SequenceEqual(keyUtf8)) return true;
        }
        return false;
    }

    /// <summary>
    /// Indexes the applied messages of the log between the index's covered end and <paramref name="untilPos"/> (or the
    /// applied end), reading them back from the log. Normally there are none: every applied entry is indexed as it is
    /// applied. The gap exists after a damaged index file was dropped, or when an older store had no index files.
    /// Call under the apply lock.
    /// </summary>
    private void CatchUpKeyIndex(long untilPos)
    {
        var log = _log;
        long coveredTo = _keyIndex.CoveredTo;
        if (log is null || coveredTo >= untilPos) return;
        long pos = Math.Max(coveredTo, log.FirstRetainedPos);
        long from = pos;
        int messages = 0;
        Span<byte> headerBytes = stackalloc byte[EntryLayout.HeaderSize];
        byte[] body = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (pos < untilPos)
            {
                if (!log.TryReadCommitted(pos, headerBytes)) break; // the applied end (or a gap, reported below)
                var check = EntryCodec.TryReadHeader(headerBytes, out var header);
                if (check != EntryCheck.Ok || header.Pos != pos)
                {
                    _logger.KeyIndexGap(pos, $"entry header check: {check}", untilPos);
                    break;
                }
                if (header.Index > AppliedIndex) break;
                if (header.Type == EntryType.Normal)
                {
                    if (body.Length < header.BodyLength)
                    {
                        ArrayPool<byte>.Shared.Return(body);
                        body = ArrayPool<byte>.Shared.Rent(header.BodyLength);
                    }
                    var bodySpan = body.AsSpan(0, header.BodyLength);
                    if (!log.TryReadCommitted(pos + EntryLayout.HeaderSize, bodySpan))
                    {
                        _logger.KeyIndexGap(pos, "entry body unreadable", untilPos);
                        break;
                    }
                    if (IndexReadBackMessage(pos + EntryLayout.HeaderSize, bodySpan)) messages++;
                }
                pos += header.Size;
                _keyIndex.MarkCovered(pos);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
        if (pos > from) _logger.KeyIndexCaughtUp(messages, from, pos);
    }

    /// <summary>Indexes a message read back from the log when it was dispatched to its ConsumeQueue (the same messages
    /// that applying indexes); false for anything else.</summary>
    private bool IndexReadBackMessage(long physicalOffset, ReadOnlySpan<byte> body)
    {
        if (!StoredMessageView.TryRead(body, out var view) || view.MagicCode != StoredMessageLayout.MessageMagicCode) return false;
        var queue = _queues.Find(view.Topic, view.QueueId);
        if (queue is null || queue.FindByPhysicalOffset(physicalOffset) < 0) return false;
        IndexKeys(queue.Topic, view.PropertiesUtf8, physicalOffset, view.StoreTimestamp);
        return true;
    }
}
