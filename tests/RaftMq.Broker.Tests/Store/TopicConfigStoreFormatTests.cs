using System.Text;
using System.Text.Json;
using RaftMq.Broker.Store.Control;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;

namespace RaftMq.Broker.Tests.Store;

/// <summary>The store and the wire share one <see cref="TopicConfig"/> but not its JSON: committed logs and checkpoints
/// hold the store's shape, which must read back unchanged.</summary>
public sealed class TopicConfigStoreFormatTests
{
    private const string StoreJson = """{"name":"orders","readQueueNums":8,"writeQueueNums":4,"perm":4,"order":true,"topicSysFlag":1}""";

    [Fact]
    public void The_store_writes_the_shape_committed_logs_already_hold()
    {
        var topic = new TopicConfig("orders", 8, 4, PermName.Read, order: true, topicSysFlag: 1);

        Assert.Equal(StoreJson, Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(topic, StoreJsonContext.Default.TopicConfig)));
    }

    [Fact]
    public void The_store_reads_its_shape_and_defaults_a_missing_perm_to_read_write()
    {
        Assert.Equal(new TopicConfig("orders", 8, 4, PermName.Read, order: true, topicSysFlag: 1),
            JsonSerializer.Deserialize(StoreJson, StoreJsonContext.Default.TopicConfig));
        Assert.Equal(new TopicConfig("a", 1, 1), JsonSerializer.Deserialize("""{"name":"a","readQueueNums":1,"writeQueueNums":1,"extra":[1]}""",
            StoreJsonContext.Default.TopicConfig));
    }

    [Fact]
    public void The_wire_keeps_rocketmq_field_names()
    {
        string json = Encoding.UTF8.GetString(ProtocolJson.Encode(new TopicConfigSerializeWrapper { TopicConfigTable = { ["orders"] = new TopicConfig("orders", 8, 4) } }));

        Assert.Contains("\"topicName\":\"orders\"", json, StringComparison.Ordinal);
        Assert.Contains("\"topicFilterType\":\"SINGLE_TAG\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"name\"", json, StringComparison.Ordinal);
    }
}
