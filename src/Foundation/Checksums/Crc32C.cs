using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace RaftMq.Foundation.Checksums;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as used by iSCSI, ext4 and Kafka. Uses the SSE4.2 or
/// ARMv8 CRC instructions when present and a slicing-by-8 table otherwise.
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;
    private static readonly uint[] Table = SlicingBy8.BuildTable(Polynomial);

    /// <summary>CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC: Append(Compute(a), b) == Compute(a ++ b).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        if (Sse42.X64.IsSupported) state = AppendSse42(state, data);
        else if (Crc32.Arm64.IsSupported) state = AppendArm(state, data);
        else state = AppendTable(state, data);
        return ~state;
    }

    private static uint AppendSse42(uint state, ReadOnlySpan<byte> data)
    {
        ulong s = state;
        while (data.Length >= 8)
        {
            s = Sse42.X64.Crc32(s, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        state = (uint)s;
        foreach (byte b in data) state = Sse42.Crc32(state, b);
        return state;
    }

    private static uint AppendArm(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            state = Crc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data) state = Crc32.ComputeCrc32C(state, b);
        return state;
    }

    internal static uint AppendTable(uint state, ReadOnlySpan<byte> data) => SlicingBy8.Append(Table, state, data);
}
