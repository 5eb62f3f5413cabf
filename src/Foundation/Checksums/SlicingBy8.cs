using System.Buffers.Binary;

namespace RaftMq.Foundation.Checksums;

/// <summary>The table-driven reflected CRC-32 both checksums share: slicing-by-8 over a polynomial's 8 x 256 table.</summary>
internal static class SlicingBy8
{
    public static uint[] BuildTable(uint polynomial)
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint crc = i;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1;
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

    /// <summary>Advances the raw (not inverted) CRC state over <paramref name="data"/>.</summary>
    public static uint Append(uint[] table, uint state, ReadOnlySpan<byte> data)
    {
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
        return state;
    }
}
