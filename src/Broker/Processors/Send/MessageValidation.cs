using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Processors.Send;

/// <summary>
/// What the broker checks before it stores a message, so that nothing it acknowledges can stall a consumer: the
/// sysFlag holds only bits RocketMQ defines, a zlib-compressed body inflates (within maxMessageSize), the
/// properties are well-formed <c>name\u0001value</c> pairs, and a delivery time lies within the supported range.
/// Each check returns the refusal text, or null when the message is fine.
/// </summary>
internal static class MessageValidation
{
    /// <summary>Every sysFlag bit RocketMQ 4.9/5.x defines (compression, tags, transaction, IPv6 hosts, batch, codec).</summary>
    internal const int KnownSysFlagBits = 0x7FF;

    /// <summary>Most properties one message may carry.</summary>
    internal const int MaxPropertyCount = 1024;

    /// <summary>Furthest a <c>__STARTDELIVERTIME</c> may lie in the future (Unix ms are checked against this).</summary>
    internal static readonly TimeSpan MaxDeliveryDelay = TimeSpan.FromDays(365);

    private const int InflateChunkBytes = 64 * 1024;

    public static string? SysFlagProblem(int sysFlag)
    {
        if ((sysFlag & ~KnownSysFlagBits) != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"sysFlag {sysFlag} sets bits this broker does not know (0x{sysFlag & ~KnownSysFlagBits:X}); nothing was stored");
        }
        int codec = sysFlag & MessageSysFlag.CompressionTypeMask;
        if (codec is not (0 or MessageSysFlag.CompressionLz4 or MessageSysFlag.CompressionZstd or MessageSysFlag.CompressionZlib))
        {
            return string.Create(CultureInfo.InvariantCulture, $"sysFlag {sysFlag} names an unknown compression codec 0x{codec:X}; nothing was stored");
        }
        return null;
    }

    /// <summary>
    /// A body marked zlib-compressed (codec bits 0 or ZLIB) must inflate completely to at most
    /// <paramref name="maxInflatedBytes"/>. LZ4 and ZSTD bodies are passed through unchecked: .NET has no codec for
    /// them, and the .NET client hands such bodies to the application as stored.
    /// </summary>
    public static string? CompressedBodyProblem(int sysFlag, ReadOnlySpan<byte> body, int maxInflatedBytes)
    {
        if (!MessageSysFlag.IsCompressed(sysFlag)) return null;
        int codec = sysFlag & MessageSysFlag.CompressionTypeMask;
        if (codec is not (0 or MessageSysFlag.CompressionZlib)) return null;
        long inflated = InflatedLength(body.ToArray(), maxInflatedBytes, out string? error);
        if (error is not null) return $"the body is marked zlib-compressed but does not inflate ({error}); nothing was stored";
        return inflated > maxInflatedBytes
            ? string.Create(CultureInfo.InvariantCulture, $"the compressed body inflates to more than maxMessageSize {maxInflatedBytes} bytes; nothing was stored")
            : null;
    }

    /// <summary>Properties in UTF-16 (the single-send header form).</summary>
    public static string? PropertiesProblem(ReadOnlySpan<char> properties)
    {
        int count = 0;
        while (!properties.IsEmpty)
        {
            int end = properties.IndexOf(MessageProperties.PropertySeparator);
            var piece = end < 0 ? properties : properties[..end];
            properties = end < 0 ? default : properties[(end + 1)..];
            if (piece.IsEmpty) continue;
            if (++count > MaxPropertyCount) return $"more than {MaxPropertyCount} message properties; nothing was stored";
            int split = piece.IndexOf(MessageProperties.NameValueSeparator);
            if (split <= 0 || piece[(split + 1)..].IndexOf(MessageProperties.NameValueSeparator) >= 0)
            {
                return $"malformed message property '{Truncate(piece)}' (expected name\\u0001value); nothing was stored";
            }
        }
        return null;
    }

    /// <summary>Properties in UTF-8 (a batch body's form).</summary>
    public static string? PropertiesProblem(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty ? null : PropertiesProblem(System.Text.Encoding.UTF8.GetString(utf8).AsSpan());

    /// <summary><c>__STARTDELIVERTIME</c>, when present, is Unix milliseconds no further ahead than <see cref="MaxDeliveryDelay"/>.</summary>
    public static string? DeliveryTimeProblem(ReadOnlySpan<char> properties, long nowMs)
    {
        if (!MessageProperties.TryGetValue(properties, MessageProperty.StartDeliverTime, out var text)) return null;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long at))
        {
            return $"{MessageProperty.StartDeliverTime} '{Truncate(text)}' is not a Unix time in milliseconds; nothing was stored";
        }
        long latest = nowMs + (long)MaxDeliveryDelay.TotalMilliseconds;
        return at > latest
            ? string.Create(CultureInfo.InvariantCulture,
                $"{MessageProperty.StartDeliverTime} {at} lies more than {MaxDeliveryDelay.TotalDays:0} days ahead; nothing was stored")
            : null;
    }

    private static long InflatedLength(byte[] body, int limit, out string? error)
    {
        error = null;
        byte[] chunk = ArrayPool<byte>.Shared.Rent(InflateChunkBytes);
        try
        {
            using var input = new MemoryStream(body, writable: false);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            long total = 0;
            int read;
            while ((read = zlib.Read(chunk, 0, chunk.Length)) > 0)
            {
                total += read;
                if (total > limit) return total;
            }
            return total;
        }
        catch (InvalidDataException ex)
        {
            error = ex.Message;
            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static string Truncate(ReadOnlySpan<char> text) =>
        text.Length <= 64 ? text.ToString() : string.Concat(text[..64], "...");
}
