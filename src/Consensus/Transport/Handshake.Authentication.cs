using System.Security.Cryptography;
using System.Text;

namespace RaftMq.Consensus.Transport;

/// <summary>
/// Mutual challenge-response over the group secret (<c>dLegerPeerSecret</c>). Each side sends a fresh nonce; each
/// proves it holds the secret with HMAC-SHA256 over its role, the group, both member ids and both nonces, so a
/// proof cannot be replayed on another connection or reflected back as the other role. The secret never travels.
/// Independent of the stream underneath (plain TCP or TLS).
/// </summary>
internal static partial class Handshake
{
    private const string AcceptorRole = "raftmq-peer-acceptor";
    private const string DialerRole = "raftmq-peer-dialer";

    /// <summary>The acceptor's proof: it holds the secret and answers this very request.</summary>
    public static byte[] AcceptorMac(byte[] secret, string group, string acceptorId, string dialerId, ReadOnlySpan<byte> dialerNonce,
        ReadOnlySpan<byte> acceptorNonce) =>
        Mac(secret, AcceptorRole, group, acceptorId, dialerId, dialerNonce, acceptorNonce);

    /// <summary>The dialer's proof, over the acceptor's challenge.</summary>
    public static byte[] DialerMac(byte[] secret, string group, string dialerId, string acceptorId, ReadOnlySpan<byte> dialerNonce,
        ReadOnlySpan<byte> acceptorNonce) =>
        Mac(secret, DialerRole, group, dialerId, acceptorId, acceptorNonce, dialerNonce);

    public static HandshakeResponse Challenge(PeerTransportOptions self, HandshakeRequest request, byte[] secret, out byte[] acceptorNonce)
    {
        acceptorNonce = RandomNumberGenerator.GetBytes(NonceBytes);
        byte[] mac = AcceptorMac(secret, self.GroupName, self.SelfId, request.SenderId, request.Nonce, acceptorNonce);
        return new HandshakeResponse(HandshakeStatus.Challenge, self.SelfId, "", "", "", acceptorNonce, mac);
    }

    public static bool MacsEqual(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual) =>
        expected.Length == actual.Length && CryptographicOperations.FixedTimeEquals(expected, actual);

    private static byte[] Mac(byte[] secret, string role, string group, string firstId, string secondId, ReadOnlySpan<byte> firstNonce,
        ReadOnlySpan<byte> secondNonce)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        AppendField(hmac, Encoding.UTF8.GetBytes(role));
        AppendField(hmac, Encoding.UTF8.GetBytes(group));
        AppendField(hmac, Encoding.UTF8.GetBytes(firstId));
        AppendField(hmac, Encoding.UTF8.GetBytes(secondId));
        AppendField(hmac, firstNonce);
        AppendField(hmac, secondNonce);
        return hmac.GetHashAndReset();
    }

    /// <summary>Length-prefixed, so no two different field lists hash the same bytes.</summary>
    private static void AppendField(IncrementalHash hmac, ReadOnlySpan<byte> field)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, field.Length);
        hmac.AppendData(length);
        hmac.AppendData(field);
    }
}
