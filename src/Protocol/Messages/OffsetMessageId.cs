using System.Buffers.Binary;
using System.Globalization;

namespace RaftMq.Protocol.Messages;

/// <summary>
/// The broker-side message id (§9): upper-case hex of <c>store IPv4 (4) | port (4) | CommitLog physical offset (8)</c>,
/// 32 characters. Decoding it gives the broker address and the offset for VIEW_MESSAGE_BY_ID.
/// </summary>
public static class OffsetMessageId
{
    public const int Length = 32;

    public static string Create(MessageHost storeHost, long physicalOffset) =>
        string.Create(Length, (storeHost, physicalOffset), static (chars, state) => Format(state.storeHost, state.physicalOffset, chars));

    /// <summary>Writes the 32 hex characters into <paramref name="destination"/> without allocating.</summary>
    public static void Format(MessageHost storeHost, long physicalOffset, Span<char> destination)
    {
        Span<byte> bytes = stackalloc byte[16];
        storeHost.Write(bytes);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], physicalOffset);
        Convert.TryToHexString(bytes, destination, out _);
    }

    public static bool TryDecode(ReadOnlySpan<char> id, out MessageHost storeHost, out long physicalOffset)
    {
        storeHost = default;
        physicalOffset = 0;
        if (id.Length != Length) return false;
        Span<byte> bytes = stackalloc byte[16];
        if (Convert.FromHexString(id, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != 16)
        {
            return false;
        }
        storeHost = MessageHost.Read(bytes);
        physicalOffset = BinaryPrimitives.ReadInt64BigEndian(bytes[8..]);
        return true;
    }

    public static (MessageHost StoreHost, long PhysicalOffset) Decode(string id) =>
        TryDecode(id, out var host, out long offset)
            ? (host, offset)
            : throw new MessageFormatException(
                string.Create(CultureInfo.InvariantCulture, $"\"{id}\" is not a {Length}-character offset message id."));
}
