using System.Text;
using BenchmarkDotNet.Attributes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Cli.Bench.Micro;

/// <summary>The produce path's encoder (one stored-message record per send) and the pull/dispatch path's zero-copy
/// reader over the same record.</summary>
[MemoryDiagnoser]
public class StoredMessageBenchmarks
{
    private static readonly byte[] TopicUtf8 = Encoding.UTF8.GetBytes("BenchmarkTopic");
    private static readonly byte[] PropertiesUtf8 = Encoding.UTF8.GetBytes("TAGS\u0001TagA\u0002KEYS\u0001order-42\u0002UNIQ_KEY\u00017F0000010001B4AAC2660DA2D10000\u0002");

    private byte[] _body = [];
    private byte[] _destination = [];
    private byte[] _record = [];
    private StoredMessageFields _fields;

    [Params(128, 4096)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _body = new byte[BodyBytes];
        new Random(42).NextBytes(_body);
        _fields = new StoredMessageFields
        {
            QueueId = 3,
            BornTimestamp = 1_700_000_000_000,
            StoreTimestamp = 1_700_000_000_005,
            BornHost = MessageHost.Parse("127.0.0.1:50000"),
            StoreHost = MessageHost.Parse("127.0.0.1:30911"),
        };
        _destination = new byte[StoredMessageLayout.GetRecordSize(_body.Length, TopicUtf8.Length, PropertiesUtf8.Length)];
        int size = StoredMessageCodec.Encode(_destination, _fields, _body, TopicUtf8, PropertiesUtf8);
        _record = _destination[..size];
    }

    [Benchmark(Description = "stored message: encode")]
    public int Encode() => StoredMessageCodec.Encode(_destination, _fields, _body, TopicUtf8, PropertiesUtf8);

    [Benchmark(Description = "stored message: view + body CRC check")]
    public long View()
    {
        var view = StoredMessageView.Read(_record);
        return view.IsBodyCrcValid ? view.QueueOffset + view.Body.Length + view.PropertiesUtf8.Length : -1;
    }

    [Benchmark(Description = "stored message: patch queue offset")]
    public int PatchQueueOffset()
    {
        StoredMessageCodec.PatchQueueOffset(_record, 12345);
        return _record[0];
    }
}
