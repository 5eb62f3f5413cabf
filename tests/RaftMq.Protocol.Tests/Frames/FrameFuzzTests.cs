using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Messages;

namespace RaftMq.Protocol.Tests.Frames;

/// <summary>
/// Fuzzing the codecs that read remote bytes, with a bounded budget so it runs in every CI build: random bytes and
/// mutations of valid frames either decode or fail with the protocol's own exception, never with anything else
/// (an unexpected exception type would be a crash or a SYSTEM_ERROR with .NET text), and never hang.
/// </summary>
public sealed class FrameFuzzTests
{
    private static readonly Config Budget = Config.QuickThrowOnFailure.WithMaxTest(500);

    /// <summary>A valid frame with some bytes replaced, inserted or cut (structure-aware: the prefix stays plausible).</summary>
    private static readonly Gen<byte[]> MutatedFrames =
        from command in Generators.Command
        from edits in Gen.ListOf(
            from at in Gen.Choose(0, int.MaxValue)
            from value in Gen.Choose(0, 255)
            from kind in Gen.Choose(0, 2)
            select (at, value, kind))
        select Mutate(FrameCodec.Encode(command), edits.ToList());

    private static readonly Gen<byte[]> RandomFrames =
        from header in Generators.Bytes
        from serializeType in Gen.Choose(0, 2)
        from body in Generators.Bytes
        select Frame(serializeType, header, body);

    [Fact]
    public void Random_and_mutated_frames_decode_or_fail_with_a_frame_error()
    {
        Check.One(Budget, Prop.ForAll(Gen.OneOf(MutatedFrames, RandomFrames, Generators.Bytes).ToArbitrary(), DecodesOrRefuses));
    }

    [Fact]
    public void Random_batch_bodies_and_property_strings_never_fail_unexpectedly()
    {
        Check.One(Budget, Prop.ForAll(Generators.Bytes.ToArbitrary(), bytes =>
        {
            try
            {
                foreach (var message in BatchMessageCodec.ReadAll(bytes)) _ = MessageProperties.Parse(message.PropertiesUtf8);
            }
            catch (MessageFormatException)
            {
            }
            _ = MessageProperties.Parse(bytes);
            return true;
        }));
    }

    private static bool DecodesOrRefuses(byte[] frame)
    {
        try
        {
            FrameCodec.Decode(frame);
        }
        catch (RemotingFrameException)
        {
        }
        return true;
    }

    private static byte[] Frame(int serializeType, byte[] header, byte[] body)
    {
        var frame = new byte[8 + header.Length + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, 4 + header.Length + body.Length);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), (serializeType << 24) | header.Length);
        header.CopyTo(frame, 8);
        body.CopyTo(frame, 8 + header.Length);
        return frame;
    }

    private static byte[] Mutate(byte[] frame, List<(int At, int Value, int Kind)> edits)
    {
        var bytes = new List<byte>(frame);
        foreach (var (at, value, kind) in edits)
        {
            if (bytes.Count == 0) break;
            int position = at % bytes.Count;
            switch (kind)
            {
                case 0: bytes[position] = (byte)value; break;
                case 1: bytes.Insert(position, (byte)value); break;
                default: bytes.RemoveAt(position); break;
            }
        }
        var result = bytes.ToArray();
        // Keep the length prefix consistent half of the time, so mutations reach the header parsers.
        if (result.Length >= 4 && edits.Count % 2 == 0) BinaryPrimitives.WriteInt32BigEndian(result, result.Length - 4);
        return result;
    }
}
