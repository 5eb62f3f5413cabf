using System.Buffers.Binary;
using RaftMq.Chaos.Hostile;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;

namespace RaftMq.Chaos.Tests.Hostile;

public sealed class HostileFramesTests
{
    private static readonly HostileEndpoints Endpoints = new("RaftCluster", "RaftNode00", "ChaosTopic", 9876, [new NodeEndpoints("n0", 10911, 20911)]);

    private static string? Field(RemotingCommand request, string key) => request.ExtFields.TryGetValue(key, out var value) ? value : null;

    [Fact]
    public void A_forged_registration_is_a_valid_register_broker_claiming_mastership_with_a_huge_term()
    {
        var request = FrameCodec.Decode(HostileFrames.ForgedMasterRegistration(Endpoints, "127.0.0.1:1"));

        Assert.Equal(RequestCode.RegisterBroker, request.Code);
        Assert.Equal("RaftNode00", Field(request, "brokerName"));
        Assert.Equal("0", Field(request, "brokerId"));
        Assert.Equal("127.0.0.1:1", Field(request, "brokerAddr"));
        Assert.True(long.Parse(Field(request, "raftTerm")!) > 1_000_000_000);
    }

    [Fact]
    public void A_poison_send_is_a_valid_send_of_a_body_flagged_compressed_or_with_every_flag()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var request = FrameCodec.Decode(HostileFrames.PoisonSend(new Random(seed), "ChaosTopic"));

            Assert.Equal(RequestCode.SendMessageV2, request.Code);
            Assert.Equal("ChaosTopic", Field(request, "b"));
            Assert.Contains(Field(request, "f"), new[] { "1", "-1" });
            Assert.False(request.Body.IsEmpty);
        }
    }

    [Fact]
    public void Structured_frames_announce_their_true_length()
    {
        var random = new Random(7);
        foreach (var frame in new[]
        {
            HostileFrames.GarbageJsonHeader(random), HostileFrames.ManyExtFields(RequestCode.HeartBeat, 1000),
            HostileFrames.HugeField(RequestCode.GetConsumerListByGroup, "consumerGroup", 100_000),
        })
        {
            Assert.Equal(frame.Length - 4, BinaryPrimitives.ReadInt32BigEndian(frame));
        }

        var hello = HostileFrames.ForgedPeerHello(random, "RaftNode00", "n1");
        Assert.Equal((uint)(hello.Length - 4), BinaryPrimitives.ReadUInt32BigEndian(hello));
        Assert.Equal(0x524D5150u, BinaryPrimitives.ReadUInt32BigEndian(hello.AsSpan(4)));
    }

    [Fact]
    public void Many_ext_fields_decode_to_that_many_fields_when_no_limit_applies()
    {
        var request = FrameCodec.Decode(HostileFrames.ManyExtFields(RequestCode.HeartBeat, 500));

        Assert.Equal(RequestCode.HeartBeat, request.Code);
        Assert.Equal(500, request.ExtFields.Count);
    }
}
