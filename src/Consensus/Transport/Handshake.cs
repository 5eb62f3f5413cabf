using System.Buffers.Binary;
using System.Text;

namespace RaftMq.Consensus.Transport;

/// <summary>Sent by the dialer first on every connection; <see cref="Nonce"/> is the dialer's challenge.</summary>
internal sealed record HandshakeRequest(ushort Version, string Group, string SenderId, byte[] PeersHash, string CanonicalPeers, byte[] Nonce)
{
    /// <summary>Index of the configuration entry the dialer follows (version 3 only); 0 when its log holds none.</summary>
    public long ConfigurationIndex { get; init; }

    /// <summary>That configuration, encoded as in the log (<see cref="Core.Membership.Encode"/>); empty when none.</summary>
    public byte[] Configuration { get; init; } = [];
}

internal enum HandshakeStatus : byte
{
    Accepted = 0,
    Refused = 1,

    /// <summary>The acceptor proves it holds the group secret and asks the dialer to prove the same.</summary>
    Challenge = 2,
}

/// <summary>
/// The acceptor's answer. A refusal carries only a reason category, never the acceptor's group or peers (a stranger
/// learns nothing about the configuration; the acceptor logs the details). A challenge carries the acceptor's
/// nonce and its proof <see cref="Mac"/>.
/// </summary>
internal sealed record HandshakeResponse(
    HandshakeStatus Status, string ResponderId, string Group, string CanonicalPeers, string Reason, byte[] Nonce, byte[] Mac)
{
    public bool Accepted => Status == HandshakeStatus.Accepted;
}

/// <summary>
/// Connection handshake, big-endian: <c>uint32 bodyLength | body</c>. Request body: magic "RMQP", uint16
/// version, group, sender id, 32-byte SHA-256 of the canonical dLegerPeers, canonical dLegerPeers, 16-byte nonce;
/// version 3 adds int64 index and block of the replicated configuration the dialer follows. A dialer sends version 2
/// (byte for byte the older handshake) while it follows no configuration, and falls back to it when a peer of an
/// older release refuses version 3; an acceptor reads both.
/// Response body: magic, version, status byte (0 accepted, 1 refused, 2 challenge), responder id, group, canonical
/// peers, reason, nonce, mac (empty unless challenging). Proof body (dialer, after a challenge): magic, version,
/// 32-byte mac. Strings and byte blocks are uint16 length + bytes. See Handshake.Authentication for the macs.
/// </summary>
internal static partial class Handshake
{
    public const uint Magic = 0x524D5150; // "RMQP"
    public const ushort CurrentVersion = 3;

    /// <summary>The handshake without a configuration, still sent and accepted (older releases speak only this one).</summary>
    public const ushort LegacyVersion = 2;
    public const int HashBytes = 32;
    public const int NonceBytes = 16;
    private const int MaxBodyBytes = 64 * 1024;

    public static byte[] Encode(HandshakeRequest request)
    {
        var writer = new BodyWriter();
        writer.UInt32(Magic);
        writer.UInt16(request.Version);
        writer.String(request.Group);
        writer.String(request.SenderId);
        writer.Bytes(request.PeersHash);
        writer.String(request.CanonicalPeers);
        writer.Bytes(request.Nonce);
        if (request.Version >= CurrentVersion)
        {
            writer.Int64(request.ConfigurationIndex);
            writer.Block(request.Configuration);
        }
        return writer.ToFramedArray();
    }

    public static byte[] EncodeProof(ReadOnlySpan<byte> mac)
    {
        var writer = new BodyWriter();
        writer.UInt32(Magic);
        writer.UInt16(CurrentVersion);
        writer.Block(mac);
        return writer.ToFramedArray();
    }

    public static byte[] Encode(HandshakeResponse response)
    {
        var writer = new BodyWriter();
        writer.UInt32(Magic);
        writer.UInt16(CurrentVersion);
        writer.Byte((byte)response.Status);
        writer.String(response.ResponderId);
        writer.String(response.Group);
        writer.String(response.CanonicalPeers);
        writer.String(response.Reason);
        writer.Block(response.Nonce);
        writer.Block(response.Mac);
        return writer.ToFramedArray();
    }

    /// <summary>Reads a request. A request of another protocol version is returned with only
    /// <see cref="HandshakeRequest.Version"/> meaningful, so the acceptor can refuse it politely.</summary>
    /// <exception cref="InvalidDataException">Not a RaftMq peer handshake.</exception>
    public static async ValueTask<HandshakeRequest> ReadRequestAsync(Stream stream, CancellationToken ct)
    {
        var body = await ReadBodyAsync(stream, ct).ConfigureAwait(false);
        var reader = new BodyReader(body);
        ushort version = ReadMagicAndVersion(ref reader);
        if (version is not (CurrentVersion or LegacyVersion)) return new HandshakeRequest(version, "", "", [], "", []);
        string group = reader.String();
        string sender = reader.String();
        byte[] hash = reader.Bytes(HashBytes);
        string peers = reader.String();
        byte[] nonce = reader.Bytes(NonceBytes);
        long configurationIndex = version == CurrentVersion ? reader.Int64() : 0;
        byte[] configuration = version == CurrentVersion ? reader.Block() : [];
        reader.EnsureEnd();
        return new HandshakeRequest(version, group, sender, hash, peers, nonce) { ConfigurationIndex = configurationIndex, Configuration = configuration };
    }

    /// <exception cref="InvalidDataException">The answer is not a RaftMq handshake response.</exception>
    public static async ValueTask<HandshakeResponse> ReadResponseAsync(Stream stream, CancellationToken ct)
    {
        var body = await ReadBodyAsync(stream, ct).ConfigureAwait(false);
        var reader = new BodyReader(body);
        ReadMagicAndVersion(ref reader);
        byte status = reader.Byte();
        if (status > (byte)HandshakeStatus.Challenge) throw new InvalidDataException($"unknown handshake status {status}");
        var response = new HandshakeResponse((HandshakeStatus)status, reader.String(), reader.String(), reader.String(), reader.String(),
            reader.Block(), reader.Block());
        reader.EnsureEnd();
        return response;
    }

    /// <summary>Reads the dialer's proof that follows a challenge.</summary>
    public static async ValueTask<byte[]> ReadProofAsync(Stream stream, CancellationToken ct)
    {
        var body = await ReadBodyAsync(stream, ct).ConfigureAwait(false);
        var reader = new BodyReader(body);
        ReadMagicAndVersion(ref reader);
        byte[] mac = reader.Block();
        reader.EnsureEnd();
        return mac;
    }

    private static ushort ReadMagicAndVersion(ref BodyReader reader)
    {
        uint magic = reader.UInt32();
        if (magic != Magic) throw new InvalidDataException($"bad handshake magic 0x{magic:X8} (not a RaftMq peer)");
        return reader.UInt16();
    }

    private static async ValueTask<byte[]> ReadBodyAsync(Stream stream, CancellationToken ct)
    {
        var lengthBytes = new byte[4];
        await stream.ReadExactlyAsync(lengthBytes, ct).ConfigureAwait(false);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(lengthBytes);
        if (length is < 6 or > MaxBodyBytes) throw new InvalidDataException($"handshake length {length} out of range");
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, ct).ConfigureAwait(false);
        return body;
    }

    private sealed class BodyWriter
    {
        private readonly MemoryStream _body = new();

        public void Byte(byte value) => _body.WriteByte(value);

        public void UInt16(ushort value)
        {
            Span<byte> bytes = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
            _body.Write(bytes);
        }

        public void UInt32(uint value)
        {
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            _body.Write(bytes);
        }

        public void Int64(long value)
        {
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            _body.Write(bytes);
        }

        public void Bytes(ReadOnlySpan<byte> bytes) => _body.Write(bytes);

        public void Block(ReadOnlySpan<byte> bytes)
        {
            UInt16(checked((ushort)bytes.Length));
            Bytes(bytes);
        }

        public void String(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            if (bytes.Length > ushort.MaxValue) throw new ArgumentException($"handshake string longer than {ushort.MaxValue} bytes", nameof(value));
            UInt16((ushort)bytes.Length);
            Bytes(bytes);
        }

        public byte[] ToFramedArray()
        {
            var framed = new byte[4 + _body.Length];
            BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)_body.Length);
            _body.GetBuffer().AsSpan(0, (int)_body.Length).CopyTo(framed.AsSpan(4));
            return framed;
        }
    }

    private ref struct BodyReader(ReadOnlySpan<byte> body)
    {
        private ReadOnlySpan<byte> _rest = body;

        public byte Byte() => Take(1)[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

        public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

        public byte[] Bytes(int count) => Take(count).ToArray();

        public byte[] Block() => Take(UInt16()).ToArray();

        public string String()
        {
            int length = UInt16();
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(length));
            }
            catch (DecoderFallbackException e)
            {
                throw new InvalidDataException("handshake string is not valid UTF-8", e);
            }
        }

        public readonly void EnsureEnd()
        {
            if (!_rest.IsEmpty) throw new InvalidDataException($"{_rest.Length} unexpected bytes after the handshake");
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_rest.Length < count) throw new InvalidDataException("handshake truncated");
            var taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }
    }
}
