using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using RaftMq.Protocol.Messages;

namespace RaftMq.Protocol.Tests.Messages;

public class BatchAndIdTests
{
    [Fact]
    public void Batch_element_layout_matches_the_client_encoding()
    {
        var buffer = new byte[BatchMessageCodec.GetEncodedLength(2, 3)];
        BatchMessageCodec.Encode(buffer, flag: 5, "hi"u8, "K\u0001v"u8);

        byte[] expected = [0, 0, 0, 27, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 2, (byte)'h', (byte)'i', 0, 3, (byte)'K', 1, (byte)'v'];
        Assert.Equal(expected, buffer);
    }

    [Fact]
    public void Batches_decode_into_the_individual_messages()
    {
        var element = from flag in Generators.Int32
                      from body in Generators.Bytes
                      from properties in Generators.PropertyMap
                      select (flag, body, properties);
        var gen = Gen.ListOf(element);
        Check.One(Generators.Config, Prop.ForAll(gen.ToArbitrary(), messages =>
        {
            var encoded = new List<byte>();
            foreach (var (flag, body, properties) in messages)
            {
                byte[] props = Encoding.UTF8.GetBytes(MessageProperties.Encode(properties));
                var element = new byte[BatchMessageCodec.GetEncodedLength(body.Length, props.Length)];
                BatchMessageCodec.Encode(element, flag, body, props);
                encoded.AddRange(element);
            }
            int index = 0;
            foreach (var view in BatchMessageCodec.ReadAll(encoded.ToArray()))
            {
                Assert.Equal(messages[index].flag, view.Flag);
                Assert.Equal(messages[index].body, view.Body.ToArray());
                Assert.True(messages[index].properties.SequenceEqual(MessageProperties.Parse(view.PropertiesUtf8)));
                index++;
            }
            Assert.Equal(messages.Count, index);
        }));
    }

    [Fact]
    public void Truncated_batch_raises_the_typed_error()
    {
        var buffer = new byte[BatchMessageCodec.GetEncodedLength(2, 0)];
        BatchMessageCodec.Encode(buffer, 0, "hi"u8, default);
        for (int cut = 1; cut < buffer.Length; cut++)
        {
            Assert.Throws<MessageFormatException>(() =>
            {
                foreach (var view in BatchMessageCodec.ReadAll(buffer.AsSpan(0, cut))) _ = view.Flag;
            });
        }
    }

    [Fact]
    public void Offset_message_id_is_host_port_and_offset_in_upper_hex()
    {
        var host = MessageHost.Parse("127.0.0.1:10911");

        string id = OffsetMessageId.Create(host, 0x1234);

        Assert.Equal("7F00000100002A9F0000000000001234", id);
        Assert.Equal((host, 0x1234L), OffsetMessageId.Decode(id));
        Assert.Equal((host, 0x1234L), OffsetMessageId.Decode(id.ToLowerInvariant()));
        Assert.False(OffsetMessageId.TryDecode("7F00000100002A9F000000000000123", out _, out _));
        Assert.Throws<MessageFormatException>(() => OffsetMessageId.Decode("ZZ00000100002A9F0000000000001234"));
        Assert.Equal("127.0.0.1:10911", host.ToString());
    }

    [Fact]
    public void Unique_ids_carry_client_address_pid_hash_month_time_and_counter()
    {
        var time = new FixedTime(new DateTimeOffset(2026, 3, 2, 0, 0, 1, TimeSpan.Zero));
        var generator = new UniqueMessageIdGenerator(IPAddress.Parse("10.32.66.148"), processId: 0x12345, instanceHash: 0x0A0B0C0D, time);

        string first = generator.Next();
        string second = generator.Next();

        long msIntoMonth = (long)TimeSpan.FromDays(1).Add(TimeSpan.FromSeconds(1)).TotalMilliseconds;
        Assert.Equal("0A204294" + "2345" + "0A0B0C0D" + msIntoMonth.ToString("X8") + "0001", first);
        Assert.Equal("0002", second[^4..]);
        Assert.Equal(first[..^4], second[..^4]);
        Assert.Equal(IPAddress.Parse("10.32.66.148"), UniqueMessageIdGenerator.TryGetClientAddress(first));
    }

    [Fact]
    public void Unique_id_time_restarts_at_the_next_month()
    {
        var time = new FixedTime(new DateTimeOffset(2026, 1, 31, 23, 59, 59, TimeSpan.Zero));
        var generator = new UniqueMessageIdGenerator(IPAddress.Loopback, 1, 1, time);
        Assert.NotEqual("00000000", generator.Next()[20..28]);

        time.Now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal("00000000", generator.Next()[20..28]);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
