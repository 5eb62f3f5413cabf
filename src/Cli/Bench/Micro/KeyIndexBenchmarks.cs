using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using RaftMq.Broker.Store;
using RaftMq.Consensus.Core;
using RaftMq.Protocol.Messages;

namespace RaftMq.Cli.Bench.Micro;

/// <summary>
/// What the on-disk key index adds to applying a message: the message store's state machine (RocketMQ's default index geometry,
/// 5,000,000 slots and 20,000,000 entries per file, in a temporary folder) applies 128-byte messages carrying no key, a
/// UNIQ_KEY, or a UNIQ_KEY and two KEYS. The difference to the keyless case is the index's build cost per message.
/// </summary>
[MemoryDiagnoser]
public class KeyIndexBenchmarks
{
    private const int DistinctMessages = 65_536;
    private string _directory = "";
    private MessageStateMachine _store = null!;
    private byte[][] _bodies = [];
    private long _nextIndex = 1;
    private long _nextPos;

    [Params(0, 1, 3)]
    public int KeysPerMessage { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "raftmq-bench-keyindex-" + Guid.NewGuid().ToString("N"));
        _store = new MessageStateMachine(new MessageStoreOptions { StoreDirectory = _directory }, null, NullLogger.Instance);
        _bodies = new byte[DistinctMessages][];
        var fields = new StoredMessageFields
        {
            QueueId = 0,
            BornTimestamp = 1_700_000_000_000,
            StoreTimestamp = 1_700_000_000_005,
            BornHost = MessageHost.Parse("127.0.0.1:50000"),
            StoreHost = MessageHost.Parse("127.0.0.1:30911"),
        };
        byte[] body = new byte[128];
        for (int i = 0; i < DistinctMessages; i++)
        {
            string properties = KeysPerMessage switch
            {
                0 => "TAGS\u0001TagA\u0002",
                1 => $"TAGS\u0001TagA\u0002UNIQ_KEY\u00017F0000010001B4AAC2660DA2D1{i:X8}\u0002",
                _ => $"TAGS\u0001TagA\u0002KEYS\u0001order-{i} customer-{i % 1000}\u0002UNIQ_KEY\u00017F0000010001B4AAC2660DA2D1{i:X8}\u0002",
            };
            byte[] propertiesUtf8 = Encoding.UTF8.GetBytes(properties);
            byte[] topicUtf8 = "BenchmarkTopic"u8.ToArray();
            var record = new byte[StoredMessageLayout.GetRecordSize(body.Length, topicUtf8.Length, propertiesUtf8.Length)];
            StoredMessageCodec.Encode(record, fields with { StoreTimestamp = fields.StoreTimestamp + i }, body, topicUtf8, propertiesUtf8);
            _bodies[i] = record;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "store: apply a message (ConsumeQueue + key index)")]
    public long Apply()
    {
        var entry = new LogEntry(_nextIndex, 1, _nextPos, EntryType.Normal, _bodies[_nextIndex % DistinctMessages]);
        _nextIndex++;
        _nextPos = entry.EndPos;
        return _store.Apply(entry);
    }
}
