using System.Buffers;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Messages;

namespace RaftMq.Protocol.Tests;

/// <summary>The send and pull paths must not allocate per message (STYLE.md); these pin that down.</summary>
public class HotPathAllocationTests
{
    private static readonly StoredMessageFields Fields = new()
    {
        QueueId = 1,
        StoreHost = MessageHost.Parse("127.0.0.1:10911"),
        BornHost = MessageHost.Parse("10.0.0.2:50000"),
        PhysicalOffset = 4096,
    };

    [Fact]
    public void Encoding_reading_and_patching_a_stored_message_allocates_nothing()
    {
        var record = new byte[512];
        var body = new byte[100];
        var topic = "TopicTest"u8.ToArray();
        var properties = "TAGS\u0001TagA\u0002KEYS\u0001k1"u8.ToArray();
        Span<char> id = stackalloc char[OffsetMessageId.Length];

        long allocated = MeasureAfterWarmUp(() =>
        {
            int size = StoredMessageCodec.Encode(record, Fields, body, topic, properties);
            StoredMessageCodec.PatchQueueOffset(record, 7);
            var view = StoredMessageView.Read(record.AsSpan(0, size));
            MessageProperties.TryGetValue(view.PropertiesUtf8, "TAGS"u8, out var tags);
            _ = JavaStringHash.ComputeUtf8(tags) + view.QueueOffset + view.StoreHost.Port + (view.IsBodyCrcValid ? 1 : 0);
        });

        Assert.Equal(0, allocated);
        OffsetMessageId.Format(Fields.StoreHost, Fields.PhysicalOffset, id);
        Assert.Equal("7F00000100002A9F0000000000001000", id.ToString());
    }

    [Fact]
    public void Encoding_a_response_frame_into_a_reused_buffer_allocates_nothing()
    {
        var response = new RemotingCommand { Code = 0, Opaque = 12, Flag = RemotingCommand.ResponseFlag, Body = new byte[256] };
        response.ExtFields.Set("msgId", "7F00000100002A9F0000000000001000");
        response.ExtFields.Set("queueId", "3");
        response.ExtFields.Set("queueOffset", "1024");
        var output = new ArrayBufferWriter<byte>(4096);

        long allocated = MeasureAfterWarmUp(() =>
        {
            output.ResetWrittenCount();
            FrameCodec.Encode(response, output);
        });

        Assert.Equal(0, allocated);
    }

    private static long MeasureAfterWarmUp(Action action)
    {
        for (int i = 0; i < 100; i++) action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
