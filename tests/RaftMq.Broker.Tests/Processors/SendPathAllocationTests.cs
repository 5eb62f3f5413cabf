using RaftMq.Broker.Processors.Send;
using RaftMq.Foundation.Checksums;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Tests.Processors;

public sealed class SendPathAllocationTests
{
    private static readonly StoredMessageFields Fields = new()
    {
        QueueId = 1, Flag = 0, BornTimestamp = 1, BornHost = MessageHost.Parse("127.0.0.1:5000"),
        StoreTimestamp = 2, StoreHost = MessageHost.Parse("10.0.0.1:30911"),
    };

    [Fact]
    public void Encoding_a_message_into_a_pooled_batch_allocates_nothing_once_warm()
    {
        var body = new byte[512];
        const string properties = "TAGS\u0001TagA\u0002KEYS\u0001order-1\u0002";
        for (int i = 0; i < 10; i++) EncodeOnce(body, properties);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) EncodeOnce(body, properties);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Encoded_record_carries_the_producer_properties_plus_cluster()
    {
        var batch = RecordBatch.Rent();
        MessageRecordWriter.Append(batch, Fields, "b"u8, "T", "TAGS\u0001TagA\u0002", "RaftCluster");
        var message = StoredMessageView.Read(batch[0].Span).ToDecodedMessage();
        batch.Return();

        Assert.Equal("TagA", message.Properties["TAGS"]);
        Assert.Equal("RaftCluster", message.Properties["CLUSTER"]);
        Assert.Equal("TAGS\u0001TagA\u0002CLUSTER\u0001RaftCluster", MessageProperties.Encode(message.Properties));
        Assert.Equal("T", message.Topic);
        Assert.Equal(Crc32Ieee.BodyCrc("b"u8), message.BodyCrc);
    }

    private static void EncodeOnce(byte[] body, string properties)
    {
        var batch = RecordBatch.Rent();
        MessageRecordWriter.Append(batch, Fields, body, "OrderTopic", properties, "RaftCluster");
        batch.Return();
    }
}
