namespace RaftMq.Foundation.Checksums;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as java.util.zip.CRC32 computes it; slicing-by-8 table.
/// RocketMQ stores <c>crc &amp; 0x7FFFFFFF</c> as BODYCRC (see <see cref="BodyCrc"/>).
/// </summary>
public static class Crc32Ieee
{
    private const uint Polynomial = 0xEDB88320u;
    private static readonly uint[] Table = SlicingBy8.BuildTable(Polynomial);

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC: Append(Compute(a), b) == Compute(a ++ b).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => ~SlicingBy8.Append(Table, ~crc, data);

    /// <summary>RocketMQ's BODYCRC / bodyCrc32: the CRC-32 with the sign bit cleared (Java UtilAll.crc32).</summary>
    public static int BodyCrc(ReadOnlySpan<byte> body) => (int)(Compute(body) & 0x7FFFFFFF);
}
