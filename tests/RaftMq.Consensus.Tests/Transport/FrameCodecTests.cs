using System.Buffers;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using RaftMq.Consensus.Transport;

namespace RaftMq.Consensus.Tests.Transport;

public class FrameCodecTests
{
    [Fact]
    public void Frames_written_in_batches_read_back_identically_however_the_bytes_are_split()
    {
        var payloadSizes = Gen.Frequency((8, Gen.Choose(0, 300)), (1, Gen.Choose(3000, 20_000)));
        var payloads = payloadSizes.SelectMany(size => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), size)).ListOf();
        var cuts = Gen.Choose(1, 5000).ListOf();
        Prop.ForAll(payloads.ToArbitrary(), cuts.ToArbitrary(), (frames, cutSizes) =>
        {
            byte[] wire = WriteBatched(frames);
            var buffer = Segmented(wire, cutSizes);
            var read = new List<byte[]>();
            FrameReadResult result;
            while ((result = FrameCodec.TryRead(ref buffer, 1 << 20)).Status == FrameStatus.Frame) read.Add(result.Payload!);
            return result.Status == FrameStatus.NeedMoreData && buffer.IsEmpty
                && read.Count == frames.Count && read.Zip(frames).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Any_flipped_payload_bit_is_detected()
    {
        Prop.ForAll<byte[], int, int>((payload, position, bit) =>
        {
            if (payload.Length == 0) return true;
            byte[] wire = WriteBatched([payload]);
            wire[FrameCodec.HeaderSize + (int)((uint)position % payload.Length)] ^= (byte)(1 << ((bit & 0x7FFFFFFF) % 8));
            var buffer = new ReadOnlySequence<byte>(wire);
            var result = FrameCodec.TryRead(ref buffer, 1 << 20);
            return result.Status == FrameStatus.CrcMismatch && buffer.Length == wire.Length;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(1025)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void A_declared_length_outside_the_limit_is_invalid_before_the_payload_arrives(int length)
    {
        var header = new byte[FrameCodec.HeaderSize];
        BinaryPrimitives.WriteInt32BigEndian(header, length);
        var buffer = new ReadOnlySequence<byte>(header);
        var result = FrameCodec.TryRead(ref buffer, 1024);
        Assert.Equal(FrameStatus.InvalidLength, result.Status);
        Assert.Equal(length, result.Length);
    }

    [Fact]
    public void An_incomplete_frame_needs_more_data_and_consumes_nothing()
    {
        byte[] wire = WriteBatched([new byte[] { 1, 2, 3, 4 }]);
        for (int available = 0; available < wire.Length; available++)
        {
            var buffer = new ReadOnlySequence<byte>(wire, 0, available);
            Assert.Equal(FrameStatus.NeedMoreData, FrameCodec.TryRead(ref buffer, 1024).Status);
            Assert.Equal(available, buffer.Length);
        }
    }

    private static byte[] WriteBatched(IEnumerable<byte[]> payloads)
    {
        using var stream = new MemoryStream();
        using (var writer = new FrameBatchWriter(stream, 4096))
        {
            foreach (var payload in payloads) writer.AppendAsync(payload, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            writer.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        return stream.ToArray();
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, IReadOnlyList<int> cutSizes)
    {
        if (bytes.Length == 0) return ReadOnlySequence<byte>.Empty;
        Segment? first = null, last = null;
        int offset = 0, cut = 0;
        while (offset < bytes.Length)
        {
            int size = Math.Min(bytes.Length - offset, cutSizes.Count == 0 ? bytes.Length : cutSizes[cut++ % cutSizes.Count]);
            var memory = bytes.AsMemory(offset, size);
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
            offset += size;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
