using System.Buffers;
using RaftMq.Broker.Store;

namespace RaftMq.Broker.Tests.Store;

/// <summary>Compares what consumers can observe of two stores.</summary>
internal static class StoreAssertions
{
    /// <summary>Every queue's bounds and pulled bytes (offsets patched), queue by queue.</summary>
    public static Dictionary<(string Topic, int QueueId), (long Min, long Max, string Content)> Observe(
        MessageStore store, IEnumerable<(string Topic, int QueueId)> queues)
    {
        var observed = new Dictionary<(string, int), (long, long, string)>();
        foreach (var (topic, queueId) in queues)
        {
            var buffer = new ArrayBufferWriter<byte>();
            long min = store.GetMinOffset(topic, queueId);
            store.GetMessages(topic, queueId, min, 10_000, int.MaxValue, null, buffer);
            observed[(topic, queueId)] = (min, store.GetMaxOffset(topic, queueId), Convert.ToHexString(buffer.WrittenSpan));
        }
        return observed;
    }

    /// <summary>Raw ConsumeQueue files of a store directory: relative path -> hex content.</summary>
    /// <summary>The store's ConsumeQueue files by relative path, after it wrote its buffered units to them.</summary>
    public static SortedDictionary<string, string> ConsumeQueueFiles(MessageStore store)
    {
        store.StateMachine.FlushConsumeQueues();
        string storeDirectory = store.Options.StoreDirectory;
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string root = Path.Combine(storeDirectory, "consumequeue");
        if (!Directory.Exists(root)) return files;
        foreach (string path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var content = new MemoryStream();
            stream.CopyTo(content);
            files[Path.GetRelativePath(root, path)] = Convert.ToHexString(content.ToArray());
        }
        return files;
    }
}
