using System.IO.Compression;
using System.Text;
using RaftMq.Foundation.Checksums;
using RaftMq.Protocol.Messages;

namespace RaftMq.Protocol.Tests.Messages;

public class ChecksumAndHashTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("123456789", 0xCBF43926u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Crc32_matches_the_ieee_check_values(string input, uint expected)
    {
        Assert.Equal(expected, Crc32Ieee.Compute(Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public void Body_crc_clears_the_sign_bit_like_java_utilall()
    {
        Assert.Equal(0x4BF43926, Crc32Ieee.BodyCrc("123456789"u8));
        Assert.Equal(0x414FA339, Crc32Ieee.BodyCrc("The quick brown fox jumps over the lazy dog"u8));
    }

    [Fact]
    public void Crc32_appends_across_chunks_and_agrees_with_the_gzip_footer()
    {
        var data = new byte[10_007];
        new Random(7).NextBytes(data);
        uint whole = Crc32Ieee.Compute(data);
        Assert.Equal(whole, Crc32Ieee.Append(Crc32Ieee.Compute(data.AsSpan(0, 1234)), data.AsSpan(1234)));

        // GZip's footer stores the same CRC-32 (little-endian) right before the input size.
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        byte[] gz = compressed.ToArray();
        Assert.Equal(whole, BitConverter.ToUInt32(gz, gz.Length - 8));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("TagA", 2598919)]
    [InlineData("TagB", 2598920)]
    [InlineData("hello", 99162322)]
    [InlineData("polygenelubricants", int.MinValue)]
    [InlineData("中文标签", 622041809)]
    [InlineData("😀", 1772899)]
    public void Java_string_hash_matches_java_for_utf16_text(string text, int expected)
    {
        Assert.Equal(expected, JavaStringHash.Compute(text));
        Assert.Equal(expected, JavaStringHash.ComputeUtf8(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Tags_code_is_zero_without_a_tag()
    {
        Assert.Equal(0, JavaStringHash.TagsCode(""));
        Assert.Equal(2598919, JavaStringHash.TagsCode("TagA"));
    }
}
