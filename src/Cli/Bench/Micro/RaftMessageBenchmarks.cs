using System.Buffers;
using BenchmarkDotNet.Attributes;
using RaftMq.Consensus.Core;
using RaftMq.Consensus.Wire;

namespace RaftMq.Cli.Bench.Micro;

/// <summary>The Raft wire codec on the replication hot path: an Append carrying a batch of entries, and its reply.</summary>
[MemoryDiagnoser]
public class RaftMessageBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private Message _append = null!;
    private Message _response = null!;
    private byte[] _encodedAppend = [];

    [Params(1, 32)]
    public int EntriesPerAppend { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var body = new byte[1024];
        var entries = new LogEntry[EntriesPerAppend];
        long pos = 0;
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = new LogEntry(1001 + i, 7, pos, EntryType.Normal, body);
            pos = entries[i].EndPos;
        }
        _append = new Message
        {
            Type = MessageType.Append, From = "n0", To = "n1", Term = 7, LogIndex = 1000, LogTerm = 7, Entries = entries, Commit = 998,
        };
        _response = new Message { Type = MessageType.AppendResponse, From = "n1", To = "n0", Term = 7, LogIndex = 1000 + EntriesPerAppend };
        _output.ResetWrittenCount();
        MessageCodec.Encode(_append, _output);
        _encodedAppend = _output.WrittenSpan.ToArray();
    }

    [Benchmark(Description = "raft codec: encode append")]
    public int EncodeAppend()
    {
        _output.ResetWrittenCount();
        return MessageCodec.Encode(_append, _output);
    }

    [Benchmark(Description = "raft codec: decode append")]
    public int DecodeAppend() => MessageCodec.Decode(_encodedAppend).Entries.Count;

    [Benchmark(Description = "raft codec: encode append response")]
    public int EncodeResponse()
    {
        _output.ResetWrittenCount();
        return MessageCodec.Encode(_response, _output);
    }
}
