using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RaftMq.Protocol.Messages;

/// <summary>
/// An IPv4 address and port as stored in BORNHOST/STOREHOST (4-byte address + int32 port) and in offsetMsgId.
/// IPv4 only: ali-ons decodes hosts as 4 bytes regardless of the V6 sysFlag bits.
/// </summary>
public readonly record struct MessageHost(uint Address, int Port)
{
    /// <summary>Encoded size in a stored message.</summary>
    public const int Size = 8;

    public static MessageHost FromEndPoint(IPEndPoint endPoint)
    {
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"Only IPv4 hosts can be stored in a message, got {endPoint}.", nameof(endPoint));
        }
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return new MessageHost(BinaryPrimitives.ReadUInt32BigEndian(bytes), endPoint.Port);
    }

    /// <summary>Parses "a.b.c.d:port".</summary>
    public static MessageHost Parse(string hostAndPort) =>
        TryParse(hostAndPort, out var host)
            ? host
            : throw new FormatException($"\"{hostAndPort}\" is not an IPv4 address with a port.");

    public static bool TryParse(string? hostAndPort, out MessageHost host)
    {
        host = default;
        if (string.IsNullOrEmpty(hostAndPort)) return false;
        int colon = hostAndPort.LastIndexOf(':');
        if (colon <= 0) return false;
        if (!int.TryParse(hostAndPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)) return false;
        if (!IPAddress.TryParse(hostAndPort.AsSpan(0, colon), out var address)) return false;
        if (address.AddressFamily != AddressFamily.InterNetwork) return false;
        host = FromEndPoint(new IPEndPoint(address, port));
        return true;
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Address);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], Port);
    }

    public static MessageHost Read(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(source), BinaryPrimitives.ReadInt32BigEndian(source[4..]));

    public IPEndPoint ToEndPoint() => new(new IPAddress(BinaryPrimitives.ReverseEndianness(Address)), Port);

    /// <summary>"a.b.c.d:port", the address form brokers announce.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Address >> 24}.{(Address >> 16) & 0xFF}.{(Address >> 8) & 0xFF}.{Address & 0xFF}:{Port}");
}
