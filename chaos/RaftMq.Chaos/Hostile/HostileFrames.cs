using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using RaftMq.Foundation.Checksums;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;

namespace RaftMq.Chaos.Hostile;

/// <summary>
/// The bytes of hostile requests: random and structure-aware frames for the remoting ports (RocketMQ framing:
/// length, serialize type and header length, header, body) and for the Raft port (its length-prefixed handshake).
/// Every builder is pure: the same random state gives the same bytes.
/// </summary>
public static class HostileFrames
{
    /// <summary>A declared frame length far above any broker's limit.</summary>
    public const int HugeLength = 1 << 30;

    public static byte[] RandomBytes(Random random, int maxLength)
    {
        var bytes = new byte[random.Next(1, maxLength + 1)];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A well-framed request whose JSON header is random text.</summary>
    public static byte[] GarbageJsonHeader(Random random)
    {
        const string alphabet = "{}[]\":,0123456789abcdefxyz\\ \u00e9\u4e2d";
        var header = new StringBuilder();
        int length = random.Next(1, 2048);
        for (int i = 0; i < length; i++) header.Append(alphabet[random.Next(alphabet.Length)]);
        return Frame(SerializeType.Json, Encoding.UTF8.GetBytes(header.ToString()), []);
    }

    /// <summary>A JSON header with <paramref name="fields"/> ext fields: the quadratic-parse and field-limit attack.</summary>
    public static byte[] ManyExtFields(int code, int fields)
    {
        var header = new StringBuilder("{\"code\":").Append(code.ToString(CultureInfo.InvariantCulture))
            .Append(",\"language\":\"JAVA\",\"version\":401,\"opaque\":1,\"flag\":0,\"extFields\":{");
        for (int i = 0; i < fields; i++)
        {
            if (i > 0) header.Append(',');
            header.Append("\"k").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\":\"v\"");
        }
        header.Append("}}");
        return Frame(SerializeType.Json, Encoding.UTF8.GetBytes(header.ToString()), []);
    }

    /// <summary>The first bytes of a frame that announces <paramref name="declaredLength"/> bytes.</summary>
    public static byte[] LengthPrefix(int declaredLength)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(prefix, declaredLength);
        BinaryPrimitives.WriteInt32BigEndian(prefix.AsSpan(4), 64);
        return prefix;
    }

    /// <summary>A valid request of a harmless code.</summary>
    public static byte[] Valid(int code) => FrameCodec.Encode(RemotingCommand.CreateRequest(code));

    /// <summary>A valid request with one field whose value is <paramref name="length"/> characters (log flooding).</summary>
    public static byte[] HugeField(int code, string field, int length)
    {
        var request = RemotingCommand.CreateRequest(code);
        request.ExtFields.Set(field, new string('g', length));
        return FrameCodec.Encode(request);
    }

    /// <summary>SEND_MESSAGE_V2 of a body flagged compressed (sysFlag 1) that is not zlib data: a poison message.</summary>
    public static byte[] PoisonSend(Random random, string topic)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.SendMessageV2);
        request.ExtFields.Set("a", "hostile_producer");
        request.ExtFields.Set("b", topic);
        request.ExtFields.Set("c", "TBW102");
        request.ExtFields.Set("d", "4");
        request.ExtFields.Set("e", random.Next(4).ToString(CultureInfo.InvariantCulture));
        request.ExtFields.Set("f", random.Next(2) == 0 ? "1" : "-1");
        request.ExtFields.Set("g", "0");
        request.ExtFields.Set("h", "0");
        request.ExtFields.Set("i", "");
        request.ExtFields.Set("j", "0");
        request.ExtFields.Set("k", "false");
        request.Body = RandomBytes(random, 512);
        return FrameCodec.Encode(request);
    }

    /// <summary>REGISTER_BROKER claiming to be the group's master at the attacker's address, with a huge Raft term.</summary>
    public static byte[] ForgedMasterRegistration(HostileEndpoints endpoints, string attackerAddress)
    {
        byte[] body = ProtocolJson.Encode(new RegisterBrokerBody { TopicConfigSerializeWrapper = new TopicConfigSerializeWrapper() });
        var request = RemotingCommand.CreateRequest(RequestCode.RegisterBroker);
        new RegisterBrokerRequestHeader
        {
            ClusterName = endpoints.ClusterName,
            BrokerName = endpoints.BrokerName,
            BrokerAddr = attackerAddress,
            HaServerAddr = attackerAddress,
            BrokerId = 0,
            Compressed = false,
            BodyCrc32 = Crc32Ieee.BodyCrc(body),
        }.ToExtFields(request.ExtFields);
        request.ExtFields.Set("raftTerm", (long.MaxValue / 2).ToString(CultureInfo.InvariantCulture));
        request.Body = body;
        return FrameCodec.Encode(request);
    }

    /// <summary>A Raft peer handshake claiming to be <paramref name="claimedId"/>, without the group's secret.</summary>
    public static byte[] ForgedPeerHello(Random random, string group, string claimedId)
    {
        using var body = new MemoryStream();
        WriteUInt32(body, 0x524D5150); // "RMQP"
        WriteUInt16(body, 2);
        WriteString(body, group);
        WriteString(body, claimedId);
        var peersHash = new byte[32];
        random.NextBytes(peersHash);
        body.Write(peersHash);
        WriteString(body, "");
        var nonce = new byte[16];
        random.NextBytes(nonce);
        body.Write(nonce);
        var framed = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)body.Length);
        body.ToArray().CopyTo(framed, 4);
        return framed;
    }

    /// <summary>Random bytes behind a plausible Raft length prefix.</summary>
    public static byte[] RaftGarbage(Random random)
    {
        var body = RandomBytes(random, 4096);
        var framed = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed, random.Next(3) == 0 ? uint.MaxValue : (uint)body.Length);
        body.CopyTo(framed, 4);
        return framed;
    }

    private static byte[] Frame(SerializeType type, byte[] header, byte[] body)
    {
        var frame = new byte[8 + header.Length + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, 4 + header.Length + body.Length);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), ((int)type << 24) | header.Length);
        header.CopyTo(frame, 8);
        body.CopyTo(frame, 8 + header.Length);
        return frame;
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteUInt16(Stream stream, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void WriteString(Stream stream, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        WriteUInt16(stream, (ushort)bytes.Length);
        stream.Write(bytes);
    }
}
