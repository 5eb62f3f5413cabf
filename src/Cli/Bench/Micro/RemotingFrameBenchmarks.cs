using System.Buffers;
using BenchmarkDotNet.Attributes;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;

namespace RaftMq.Cli.Bench.Micro;

/// <summary>RocketMQ remoting frames as a send request travels: JSON and ROCKETMQ (binary) header encodings.</summary>
[MemoryDiagnoser]
public class RemotingFrameBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(8192);
    private RemotingCommand _request = null!;
    private byte[] _frame = [];

    [Params(SerializeType.Json, SerializeType.RocketMq)]
    public SerializeType Serialization { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _request = RemotingCommand.CreateRequest(RequestCode.SendMessageV2);
        _request.SerializeType = Serialization;
        _request.Language = LanguageCode.DotNet;
        // The short (V2) send header: single-letter keys, as producers put it on the wire.
        var fields = _request.ExtFields;
        fields["a"] = "PID_BENCH";
        fields["b"] = "BenchmarkTopic";
        fields["c"] = "TBW102";
        fields["d"] = "4";
        fields["e"] = "2";
        fields["f"] = "0";
        fields["g"] = "1700000000000";
        fields["h"] = "0";
        fields["i"] = "TAGS\u0001TagA\u0002UNIQ_KEY\u00017F0000010001B4AAC2660DA2D10000\u0002";
        fields["j"] = "0";
        fields["k"] = "false";
        _request.Body = new byte[1024];
        _frame = FrameCodec.Encode(_request);
    }

    [Benchmark(Description = "remoting frame: encode")]
    public int Encode()
    {
        _output.ResetWrittenCount();
        FrameCodec.Encode(_request, _output);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "remoting frame: decode")]
    public int Decode() => FrameCodec.Decode(_frame).ExtFields.Count;
}
