using System.Text;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Protocol.Tests.Bodies;

public class BodyJsonTests
{
    [Fact]
    public void Route_data_is_standard_json_with_quoted_broker_ids_and_an_empty_filter_table()
    {
        var route = new TopicRouteData
        {
            BrokerDatas =
            [
                new BrokerData
                {
                    BrokerName = "broker-a",
                    Cluster = "DefaultCluster",
                    BrokerAddrs = new SortedDictionary<long, string> { [1] = "10.0.0.2:10911", [0] = "10.0.0.1:10911" },
                },
            ],
            QueueDatas = [new QueueData { BrokerName = "broker-a", Perm = 6, ReadQueueNums = 4, WriteQueueNums = 4 }],
        };

        string json = ProtocolJson.EncodeToString(route);

        Assert.Equal(
            "{\"brokerDatas\":[{\"brokerAddrs\":{\"0\":\"10.0.0.1:10911\",\"1\":\"10.0.0.2:10911\"},\"brokerName\":\"broker-a\"," +
            "\"cluster\":\"DefaultCluster\"}],\"filterServerTable\":{},\"queueDatas\":[{\"brokerName\":\"broker-a\",\"perm\":6," +
            "\"readQueueNums\":4,\"topicSysFlag\":0,\"writeQueueNums\":4}]}",
            json);
    }

    [Fact]
    public void Legacy_fastjson_route_with_unquoted_integer_keys_is_accepted()
    {
        const string legacy =
            "{\"brokerDatas\":[{\"brokerAddrs\":{0:\"10.0.0.1:10911\",1:\"a,b:1\"},\"brokerName\":\"b\",\"cluster\":\"C\"}]," +
            "\"filterServerTable\":{},\"queueDatas\":[{\"brokerName\":\"b\",\"perm\":6,\"readQueueNums\":4,\"topicSynFlag\":0,\"writeQueueNums\":4}]}";

        var route = ProtocolJson.Decode<TopicRouteData>(Encoding.UTF8.GetBytes(legacy));

        Assert.Equal("10.0.0.1:10911", route.BrokerDatas[0].MasterAddress());
        Assert.Equal("a,b:1", route.BrokerDatas[0].BrokerAddrs[1]);
        Assert.Equal(4, route.QueueDatas[0].WriteQueueNums);
    }

    [Fact]
    public void Ali_ons_heartbeat_without_expression_type_parses()
    {
        const string json =
            "{\"clientID\":\"192.0.2.2@26419\",\"producerDataSet\":[{\"groupName\":\"PG\"}],\"consumerDataSet\":[{\"groupName\":\"CG\"," +
            "\"consumeType\":\"CONSUME_PASSIVELY\",\"messageModel\":\"CLUSTERING\",\"consumeFromWhere\":\"CONSUME_FROM_LAST_OFFSET\"," +
            "\"unitMode\":false,\"subscriptionDataSet\":[{\"topic\":\"T\",\"subString\":\"TagA || TagB\",\"classFilterMode\":false," +
            "\"tagsSet\":[\"TagA\",\"TagB\"],\"codeSet\":[2598919,2598920],\"subVersion\":1795321922445}]}]}";

        var heartbeat = ProtocolJson.Decode<HeartbeatData>(Encoding.UTF8.GetBytes(json));

        Assert.Equal("192.0.2.2@26419", heartbeat.ClientId);
        Assert.Equal("PG", heartbeat.ProducerDataSet[0].GroupName);
        var consumer = heartbeat.ConsumerDataSet[0];
        Assert.Equal(ConsumeType.ConsumePassively, consumer.ConsumeType);
        Assert.Equal(MessageModel.Clustering, consumer.MessageModel);
        Assert.Equal(ConsumeFromWhere.ConsumeFromLastOffset, consumer.ConsumeFromWhere);
        var subscription = consumer.SubscriptionDataSet[0];
        Assert.Null(subscription.ExpressionType);
        Assert.Equal([2598919, 2598920], subscription.CodeSet);
        Assert.Equal(1795321922445, subscription.SubVersion);
    }

    [Fact]
    public void Heartbeat_encodes_enum_names_and_round_trips()
    {
        var heartbeat = new HeartbeatData
        {
            ClientId = "c",
            ConsumerDataSet = [new ConsumerData { GroupName = "CG", ConsumeType = ConsumeType.ConsumeActively, ConsumeFromWhere = ConsumeFromWhere.ConsumeFromTimestamp }],
        };

        string json = ProtocolJson.EncodeToString(heartbeat);
        var back = ProtocolJson.Decode<HeartbeatData>(Encoding.UTF8.GetBytes(json));

        Assert.Contains("\"consumeType\":\"CONSUME_ACTIVELY\"", json);
        Assert.Contains("\"consumeFromWhere\":\"CONSUME_FROM_TIMESTAMP\"", json);
        Assert.Contains("\"messageModel\":\"CLUSTERING\"", json);
        Assert.Equal(ConsumeFromWhere.ConsumeFromTimestamp, back.ConsumerDataSet[0].ConsumeFromWhere);
    }

    [Fact]
    public void Register_broker_body_carries_topic_configs_and_data_version()
    {
        var body = new RegisterBrokerBody();
        body.TopicConfigSerializeWrapper.DataVersion = new DataVersion { Counter = 3, Timestamp = 1700000000000 };
        body.TopicConfigSerializeWrapper.TopicConfigTable["T"] = new TopicConfig { Name = "T", ReadQueueNums = 4, WriteQueueNums = 4 };

        string json = ProtocolJson.EncodeToString(body);
        var back = ProtocolJson.Decode<RegisterBrokerBody>(Encoding.UTF8.GetBytes(json));

        Assert.Equal(
            "{\"filterServerList\":[],\"topicConfigSerializeWrapper\":{\"dataVersion\":{\"counter\":3,\"timestamp\":1700000000000}," +
            "\"topicConfigTable\":{\"T\":{\"order\":false,\"perm\":6,\"readQueueNums\":4,\"topicFilterType\":\"SINGLE_TAG\"," +
            "\"topicName\":\"T\",\"topicSysFlag\":0,\"writeQueueNums\":4}}}}",
            json);
        Assert.Equal(new DataVersion { Counter = 3, Timestamp = 1700000000000 }, back.TopicConfigSerializeWrapper.DataVersion);
    }

    [Fact]
    public void Lock_batch_and_consumer_list_bodies_use_java_key_names()
    {
        var request = new LockBatchRequestBody
        {
            ConsumerGroup = "CG", ClientId = "c1", MqSet = [new MessageQueue { Topic = "T", BrokerName = "b", QueueId = 1 }],
        };
        var response = new LockBatchResponseBody { LockOkMqSet = request.MqSet };
        var consumers = new ConsumerListByGroupResponseBody { ConsumerIdList = ["c1", "c2"] };

        Assert.Equal(
            "{\"clientId\":\"c1\",\"consumerGroup\":\"CG\",\"mqSet\":[{\"brokerName\":\"b\",\"queueId\":1,\"topic\":\"T\"}],\"onlyThisBroker\":false}",
            ProtocolJson.EncodeToString(request));
        Assert.Equal("{\"lockOKMQSet\":[{\"brokerName\":\"b\",\"queueId\":1,\"topic\":\"T\"}]}", ProtocolJson.EncodeToString(response));
        Assert.Equal("{\"consumerIdList\":[\"c1\",\"c2\"]}", ProtocolJson.EncodeToString(consumers));
        Assert.Equal(request.MqSet[0], ProtocolJson.Decode<LockBatchResponseBody>(ProtocolJson.Encode(response)).LockOkMqSet[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"brokerDatas\":7}")]
    [InlineData("{\"brokerDatas\":[{\"brokerAddrs\":{x:\"a\"}}]}")]
    [InlineData("{\"queueDatas\":[")]
    public void Malformed_bodies_raise_the_typed_error(string json)
    {
        Assert.Throws<BodyFormatException>(() => ProtocolJson.Decode<TopicRouteData>(Encoding.UTF8.GetBytes(json)));
    }
}
