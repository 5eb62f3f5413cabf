using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using RaftMq.Foundation.Checksums;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;

namespace RaftMq.Protocol.Tests.Messages;

public class StoredMessageTests
{
    private static readonly StoredMessageFields Sample = new()
    {
        QueueId = 3,
        Flag = 7,
        QueueOffset = 0x0102030405060708,
        PhysicalOffset = 0x1112131415161718,
        SysFlag = MessageSysFlag.Compressed,
        BornTimestamp = 1795321922430,
        BornHost = MessageHost.Parse("192.0.2.2:52000"),
        StoreTimestamp = 1795321922999,
        StoreHost = MessageHost.Parse("127.0.0.1:10911"),
        ReconsumeTimes = 2,
        PreparedTransactionOffset = 99,
    };

    [Fact]
    public void Fields_sit_at_the_documented_offsets()
    {
        byte[] record = Encode(Sample, "body"u8, "T", "TAGS\u0001TagA");
        var raw = record.AsSpan();

        Assert.Equal(91 + 4 + 1 + 9, record.Length);
        Assert.Equal(record.Length, BinaryPrimitives.ReadInt32BigEndian(raw));
        Assert.Equal(-626843481, BinaryPrimitives.ReadInt32BigEndian(raw[4..]));
        Assert.Equal(Crc32Ieee.BodyCrc("body"u8), BinaryPrimitives.ReadInt32BigEndian(raw[8..]));
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(raw[12..]));
        Assert.Equal(7, BinaryPrimitives.ReadInt32BigEndian(raw[16..]));
        Assert.Equal(0x0102030405060708, BinaryPrimitives.ReadInt64BigEndian(raw[20..]));
        Assert.Equal(0x1112131415161718, BinaryPrimitives.ReadInt64BigEndian(raw[28..]));
        Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(raw[36..]));
        Assert.Equal(1795321922430, BinaryPrimitives.ReadInt64BigEndian(raw[40..]));
        Assert.Equal(new byte[] { 192, 0, 2, 2, 0, 0, 0xCB, 0x20 }, raw[48..56].ToArray());
        Assert.Equal(1795321922999, BinaryPrimitives.ReadInt64BigEndian(raw[56..]));
        Assert.Equal(new byte[] { 127, 0, 0, 1, 0, 0, 0x2A, 0x9F }, raw[64..72].ToArray());
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(raw[72..]));
        Assert.Equal(99, BinaryPrimitives.ReadInt64BigEndian(raw[76..]));
        Assert.Equal(4, BinaryPrimitives.ReadInt32BigEndian(raw[84..]));
        Assert.Equal("body"u8.ToArray(), raw[88..92].ToArray());
        Assert.Equal(1, raw[92]);
        Assert.Equal((byte)'T', raw[93]);
        Assert.Equal(9, BinaryPrimitives.ReadInt16BigEndian(raw[94..]));
        Assert.Equal("TAGS\u0001TagA", Encoding.UTF8.GetString(raw[96..]));
    }

    [Fact]
    public void View_reads_back_every_field_without_copying()
    {
        byte[] record = Encode(Sample, "body"u8, "T", "TAGS\u0001TagA");

        var view = StoredMessageView.Read(record);

        Assert.Equal(Sample, view.Fields);
        Assert.Equal("T", view.Topic);
        Assert.True(view.IsBodyCrcValid);
        Assert.True(view.Body.Overlaps(record));
        Assert.Equal("body"u8.ToArray(), view.Body.ToArray());
        Assert.Equal("TAGS\u0001TagA"u8.ToArray(), view.PropertiesUtf8.ToArray());
    }

    [Fact]
    public void Stored_messages_round_trip()
    {
        var gen = from fields in FieldsGen
                  from body in Generators.Bytes
                  from topic in Generators.PropertyText.Resize(25) // at most 25 pieces of <= 4 bytes: within the 127-byte limit
                  from properties in Generators.PropertyMap
                  select (fields, body, topic, properties: MessageProperties.Encode(properties));
        Check.One(Generators.Config, Prop.ForAll(gen.ToArbitrary(), input =>
        {
            byte[] record = Encode(input.fields, input.body, input.topic, input.properties);
            var decoded = StoredMessageView.Read(record).ToDecodedMessage();
            Assert.Equal(input.fields.QueueOffset, decoded.QueueOffset);
            Assert.Equal(input.fields.StoreHost, decoded.StoreHost);
            Assert.Equal(input.fields, StoredMessageView.Read(record).Fields);
            Assert.Equal(input.body, decoded.Body);
            Assert.Equal(input.topic, decoded.Topic);
            Assert.True(MessageProperties.Parse(input.properties).SequenceEqual(decoded.Properties));
        }));
    }

    [Fact]
    public void Patching_changes_only_the_patched_fields()
    {
        byte[] record = Encode(Sample, "body"u8, "T", null);

        StoredMessageCodec.PatchQueueOffset(record, 42);
        StoredMessageCodec.PatchPhysicalOffset(record, 4096);
        StoredMessageCodec.PatchStoreTimestamp(record, 5);

        var view = StoredMessageView.Read(record);
        Assert.Equal(Sample with { QueueOffset = 42, PhysicalOffset = 4096, StoreTimestamp = 5 }, view.Fields);
        Assert.True(view.IsBodyCrcValid);
    }

    [Fact]
    public void A_pull_body_of_back_to_back_records_enumerates_in_order()
    {
        byte[] body = [.. Encode(Sample with { QueueOffset = 0 }, "a"u8, "T", null), .. Encode(Sample with { QueueOffset = 1 }, "bb"u8, "T", "K\u0001v")];

        var messages = DecodedMessage.DecodeAll(body);

        Assert.Equal([0L, 1L], messages.Select(m => m.QueueOffset));
        Assert.Equal("v", messages[1].Properties["K"]);
        Assert.Equal("7F00000100002A9F1112131415161718", messages[0].OffsetMsgId);
        Assert.Equal(messages[0].OffsetMsgId, messages[0].MsgId);
    }

    [Fact]
    public void Truncated_or_corrupted_records_raise_the_typed_error()
    {
        byte[] record = Encode(Sample, "body"u8, "Topic", "K\u0001v");
        var gen = from cut in Gen.Choose(0, record.Length - 1)
                  from position in Gen.Choose(0, record.Length - 1)
                  from value in Gen.Choose(0, 255)
                  select (cut, position, value);
        Check.One(Generators.Config, Prop.ForAll(gen.ToArbitrary(), input =>
        {
            Assert.Throws<MessageFormatException>(() => StoredMessageView.Read(record.AsSpan(0, input.cut)));
            byte[] corrupted = (byte[])record.Clone();
            corrupted[input.position] = (byte)input.value;
            try
            {
                foreach (var view in StoredMessageView.ReadAll(corrupted)) _ = view.Topic;
            }
            catch (MessageFormatException)
            {
            }
        }));
    }

    [Fact]
    public void Ipv6_hosts_are_refused_on_both_sides()
    {
        Assert.Throws<ArgumentException>(() => Encode(Sample with { SysFlag = MessageSysFlag.StoreHostV6 }, "b"u8, "T", null));
        byte[] record = Encode(Sample, "b"u8, "T", null);
        StoredMessageCodec.PatchSysFlag(record, MessageSysFlag.BornHostV6);
        Assert.Throws<MessageFormatException>(() => StoredMessageView.Read(record));
    }

    private static readonly Gen<StoredMessageFields> FieldsGen =
        from ints in Gen.ArrayOf(Generators.Int32, 6)
        from longs in Gen.ArrayOf(Generators.Int64, 5)
        select new StoredMessageFields
        {
            QueueId = ints[0],
            Flag = ints[1],
            SysFlag = ints[2] & ~(MessageSysFlag.BornHostV6 | MessageSysFlag.StoreHostV6),
            ReconsumeTimes = ints[3],
            BornHost = new MessageHost((uint)ints[4], ints[5]),
            StoreHost = new MessageHost((uint)ints[5], ints[4]),
            QueueOffset = longs[0],
            PhysicalOffset = longs[1],
            BornTimestamp = longs[2],
            StoreTimestamp = longs[3],
            PreparedTransactionOffset = longs[4],
        };

    private static byte[] Encode(StoredMessageFields fields, ReadOnlySpan<byte> body, string topic, string? properties)
    {
        var record = new byte[StoredMessageCodec.GetRecordSize(body.Length, topic, properties)];
        Assert.Equal(record.Length, StoredMessageCodec.Encode(record, fields, body, topic, properties));
        return record;
    }
}
