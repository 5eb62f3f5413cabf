using System.Buffers.Binary;

namespace RaftMq.Protocol.Messages;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as java.util.zip.CRC32 computes it; slicing-by-8 table.
/// RocketMQ stores <c>crc &amp; 0x7FFFFFFF</c> as BODYCRC (see <see cref="BodyCrc"/>).
/// </summary>
public static class Crc32Ieee
{
    private const uint Polynomial = 0xEDB88320u;
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC: Append(Compute(a), b) == Compute(a ++ b).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var table = Table;
        uint state = ~crc;
        while (data.Length >= 8)
        {
            uint lo = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ state;
            uint hi = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            state = table[(7 * 256) + (lo & 0xFF)] ^ table[(6 * 256) + ((lo >> 8) & 0xFF)]
                  ^ table[(5 * 256) + ((lo >> 16) & 0xFF)] ^ table[(4 * 256) + (lo >> 24)]
                  ^ table[(3 * 256) + (hi & 0xFF)] ^ table[(2 * 256) + ((hi >> 8) & 0xFF)]
                  ^ table[256 + ((hi >> 16) & 0xFF)] ^ table[hi >> 24];
            data = data[8..];
        }
        foreach (byte b in data) state = table[(state ^ b) & 0xFF] ^ (state >> 8);
        return ~state;
    }

    /// <summary>RocketMQ's BODYCRC / bodyCrc32: the CRC-32 with the sign bit cleared (Java UtilAll.crc32).</summary>
    public static int BodyCrc(ReadOnlySpan<byte> body) => (int)(Compute(body) & 0x7FFFFFFF);

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint crc = i;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            table[i] = crc;
        }
        for (int slice = 1; slice < 8; slice++)
        {
            for (int i = 0; i < 256; i++)
            {
                uint previous = table[((slice - 1) * 256) + i];
                table[(slice * 256) + i] = (previous >> 8) ^ table[previous & 0xFF];
            }
        }
        return table;
    }
}
