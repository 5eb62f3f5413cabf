using System.IO.Compression;
using RaftMq.Protocol.Codes;

namespace RaftMq.Client.Instance;

/// <summary>
/// zlib bodies as RocketMQ clients write them: bodies of at least the threshold are sent deflated with a zlib
/// header and sysFlag bit 0 set; received bodies with that bit are inflated before user code sees them.
/// </summary>
internal static class BodyCompression
{
    public static byte[] Compress(byte[] body)
    {
        using var output = new MemoryStream(body.Length / 2 + 64);
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(body);
        }
        return output.ToArray();
    }

    /// <summary>
    /// Inflates <paramref name="body"/> when <paramref name="sysFlag"/> marks it compressed with zlib (codec bits 0
    /// or ZLIB); returns it unchanged otherwise. False when it is marked with a codec we cannot read (LZ4, ZSTD).
    /// </summary>
    public static bool TryDecompress(int sysFlag, byte[] body, out byte[] result)
    {
        result = body;
        if (!MessageSysFlag.IsCompressed(sysFlag)) return true;
        int codec = sysFlag & MessageSysFlag.CompressionTypeMask;
        if (codec != 0 && codec != MessageSysFlag.CompressionZlib) return false;
        using var input = new MemoryStream(body, writable: false);
        using var zlib = new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(body.Length * 4);
        zlib.CopyTo(output);
        result = output.ToArray();
        return true;
    }
}
