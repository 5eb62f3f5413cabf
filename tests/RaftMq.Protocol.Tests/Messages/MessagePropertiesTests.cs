using System.Text;
using FsCheck;
using FsCheck.Fluent;
using RaftMq.Protocol.Messages;

namespace RaftMq.Protocol.Tests.Messages;

public class MessagePropertiesTests
{
    [Fact]
    public void Java_form_has_no_trailing_separator()
    {
        var map = new StringMap();
        map.Set(MessageProperty.Tags, "TagA");
        map.Set(MessageProperty.Keys, "k1 k2");

        Assert.Equal("TAGS\u0001TagA\u0002KEYS\u0001k1 k2", MessageProperties.Encode(map));
    }

    [Fact]
    public void Ali_ons_trailing_separator_and_malformed_pieces_are_skipped()
    {
        var map = MessageProperties.Parse("TAGS\u0001null\u0002\u0002novalue\u0002\u0001orphan\u0002k\u0001\u0002a\u0001b\u0001c\u0002WAIT\u0001true\u0002");

        Assert.Equal(
            [new("TAGS", "null"), new("WAIT", "true")],
            map.ToList());
    }

    [Fact]
    public void Later_duplicates_win()
    {
        Assert.Equal("2", MessageProperties.Parse("K\u00011\u0002K\u00012")["K"]);
    }

    [Fact]
    public void Properties_round_trip_through_text_and_utf8()
    {
        Check.One(Generators.Config, Prop.ForAll(Generators.PropertyMap.ToArbitrary(), map =>
        {
            string text = MessageProperties.Encode(map);
            Assert.True(map.SequenceEqual(MessageProperties.Parse(text)));
            Assert.True(map.SequenceEqual(MessageProperties.Parse(text + MessageProperties.PropertySeparator)));

            var utf8 = new byte[MessageProperties.GetUtf8Length(map)];
            Assert.Equal(utf8.Length, MessageProperties.EncodeUtf8(map, utf8));
            Assert.Equal(Encoding.UTF8.GetBytes(text), utf8);
            Assert.True(map.SequenceEqual(MessageProperties.Parse(utf8.AsSpan())));
        }));
    }

    [Fact]
    public void Single_property_lookup_does_not_need_a_parse()
    {
        const string text = "UNIQ_KEY\u0001AB\u0002TAGS\u0001TagA\u0002KEYS\u0001k";
        Assert.True(MessageProperties.TryGetValue(text, "TAGS", out var tags));
        Assert.Equal("TagA", tags.ToString());
        Assert.False(MessageProperties.TryGetValue(text, "TAG", out _));

        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        Assert.True(MessageProperties.TryGetValue(utf8, "KEYS"u8, out var keys));
        Assert.Equal("k"u8.ToArray(), keys.ToArray());
        Assert.False(MessageProperties.TryGetValue(utf8, "DELAY"u8, out _));
    }
}
