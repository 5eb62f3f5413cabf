using System.Buffers.Binary;

namespace RaftMq.Broker.Store.ConsumeQueue;

/// <summary>One ConsumeQueue unit, RocketMQ's 20-byte layout: physical offset int64 | size int32 | tags code int64 (big-endian).</summary>
internal readonly record struct ConsumeQueueUnit(long PhysicalOffset, int Size, long TagsCode)
{
    public const int Bytes = 20;

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, PhysicalOffset);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], Size);
        BinaryPrimitives.WriteInt64BigEndian(destination[12..], TagsCode);
    }

    public static ConsumeQueueUnit Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadInt64BigEndian(source),
        BinaryPrimitives.ReadInt32BigEndian(source[8..]),
        BinaryPrimitives.ReadInt64BigEndian(source[12..]));

    /// <summary>A unit that a dispatched message can have produced (zeroed or torn bytes cannot).</summary>
    public bool IsPlausible => PhysicalOffset >= 0 && Size > 0;
}
