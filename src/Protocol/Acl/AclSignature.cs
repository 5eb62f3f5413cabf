using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Acl;

/// <summary>
/// The plain-ACL request signature of RocketMQ 4.x (<c>AclClientRPCHook</c>, <c>AclUtils.combineRequestContent</c>):
/// Base64(HmacSHA1(secretKey, the values of every ext field except <c>Signature</c>, ordered by field name (ordinal),
/// concatenated as UTF-8, followed by the body bytes)). The server also leaves out <c>_UNIQUE_KEY_QUERY</c>, which the
/// Java client adds after signing. ali-ons signs the same way and adds <c>OnsChannel</c>, which is then simply one more
/// signed field.
/// </summary>
public static class AclSignature
{
    public const string AccessKeyField = "AccessKey";
    public const string SignatureField = "Signature";
    public const string SecurityTokenField = "SecurityToken";

    /// <summary>Left out of the signed content on both sides, as RocketMQ's validator does.</summary>
    public const string UniqueKeyQueryField = "_UNIQUE_KEY_QUERY";

    /// <summary>Adds AccessKey (and SecurityToken), then Signature over all fields and the body.</summary>
    public static void Sign(RemotingCommand request, AclCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        var fields = request.ExtFields;
        fields.Remove(SignatureField);
        fields.Set(AccessKeyField, credentials.AccessKey);
        if (credentials.SecurityToken is not null) fields.Set(SecurityTokenField, credentials.SecurityToken);
        fields.Set(SignatureField, Compute(fields, request.Body.Span, credentials.SecretKey));
    }

    /// <summary>True when <paramref name="signature"/> is the signature of the request's fields and body under <paramref name="secretKey"/>.</summary>
    public static bool Verify(RemotingCommand request, string secretKey, string signature)
    {
        string expected = Compute(request.ExtFields, request.Body.Span, secretKey);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    /// <summary>The Base64 signature of <paramref name="fields"/> (without Signature) and <paramref name="body"/>.</summary>
    public static string Compute(StringMap fields, ReadOnlySpan<byte> body, string secretKey)
    {
        var names = new List<string>(fields.Count);
        foreach (var field in fields)
        {
            if (field.Key is SignatureField or UniqueKeyQueryField) continue;
            names.Add(field.Key);
        }
        names.Sort(StringComparer.Ordinal); // Java's TreeMap<String, String>: UTF-16 code unit order
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, Encoding.UTF8.GetBytes(secretKey));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            foreach (string name in names)
            {
                string value = fields[name]!;
                int length = Encoding.UTF8.GetMaxByteCount(value.Length);
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }
                hmac.AppendData(buffer, 0, Encoding.UTF8.GetBytes(value, buffer));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        hmac.AppendData(body);
        return Convert.ToBase64String(hmac.GetHashAndReset());
    }
}
