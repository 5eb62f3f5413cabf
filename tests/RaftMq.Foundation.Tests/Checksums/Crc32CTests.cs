using System.Text;
using FsCheck;
using FsCheck.Fluent;
using RaftMq.Foundation.Checksums;

namespace RaftMq.Foundation.Tests.Checksums;

public class Crc32CTests
{
    // Test vectors from RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
    [Theory]
    [InlineData("123456789", 0xE3069283u)]
    [InlineData("", 0x00000000u)]
    public void Known_ascii_vectors_match(string input, uint expected) =>
        Assert.Equal(expected, Crc32C.Compute(Encoding.ASCII.GetBytes(input)));

    [Fact]
    public void Rfc3720_vectors_match()
    {
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
    }

    [Fact]
    public void Hardware_and_table_paths_agree_and_append_composes()
    {
        Prop.ForAll<byte[], byte[]>((a, b) =>
        {
            var whole = a.Concat(b).ToArray();
            uint table = ~Crc32C.AppendTable(~0u, whole);
            return Crc32C.Compute(whole) == table && Crc32C.Append(Crc32C.Compute(a), b) == table;
        }).QuickCheckThrowOnFailure();
    }
}
