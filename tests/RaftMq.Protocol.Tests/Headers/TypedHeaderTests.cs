using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;

namespace RaftMq.Protocol.Tests.Headers;

public class TypedHeaderTests
{
    private static readonly SendMessageRequestHeader Send = new()
    {
        ProducerGroup = "PG",
        Topic = "T",
        DefaultTopic = "TBW102",
        DefaultTopicQueueNums = 4,
        QueueId = 2,
        SysFlag = 0,
        BornTimestamp = 1795321922430,
        Flag = 0,
        Properties = "TAGS\u0001TagA",
        ReconsumeTimes = 0,
        UnitMode = false,
    };

    [Fact]
    public void Send_header_v2_uses_one_letter_keys()
    {
        var fields = new StringMap();
        Send.ToV2ExtFields(fields);

        Assert.Equal(
            ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"],
            fields.Select(f => f.Key).ToArray());
        Assert.Equal("1795321922430", fields["g"]);
        Assert.Equal("false", fields["k"]);
        Assert.Equal(Send, SendMessageRequestHeader.FromV2ExtFields(fields));
    }

    [Fact]
    public void Send_header_v1_uses_long_names_and_round_trips()
    {
        var fields = new StringMap();
        Send.ToExtFields(fields);

        Assert.Equal("PG", fields["producerGroup"]);
        Assert.Equal("TBW102", fields["defaultTopic"]);
        Assert.Equal(Send, SendMessageRequestHeader.FromExtFields(fields));
    }

    [Fact]
    public void Send_header_spelling_follows_the_request_code()
    {
        var v2 = RemotingCommand.CreateRequest(RequestCode.SendMessageV2);
        Send.ToV2ExtFields(v2.ExtFields);
        var v1 = RemotingCommand.CreateRequest(RequestCode.SendMessage);
        Send.ToExtFields(v1.ExtFields);

        Assert.Equal(Send, SendMessageRequestHeader.FromRequest(v2));
        Assert.Equal(Send, SendMessageRequestHeader.FromRequest(v1));
    }

    [Fact]
    public void Missing_required_field_names_the_field()
    {
        var fields = new StringMap();
        Send.ToV2ExtFields(fields);
        fields.Remove("g");

        var error = Assert.Throws<HeaderFieldException>(() => SendMessageRequestHeader.FromV2ExtFields(fields));

        Assert.Equal("g", error.FieldName);
        Assert.Contains("<g>", error.Message);
    }

    [Fact]
    public void Unparseable_number_names_the_field_and_the_value()
    {
        var fields = new StringMap();
        fields.Set("topic", "T");
        fields.Set("queueId", "zero");

        var error = Assert.Throws<HeaderFieldException>(() => TopicQueueRequestHeader.FromExtFields(fields));

        Assert.Equal("queueId", error.FieldName);
        Assert.Contains("zero", error.Message);
    }

    [Fact]
    public void Pull_request_and_response_headers_round_trip()
    {
        var request = new PullMessageRequestHeader
        {
            ConsumerGroup = "CG",
            Topic = "T",
            QueueId = 1,
            QueueOffset = 5726,
            MaxMsgNums = 32,
            SysFlag = PullSysFlag.Build(commitOffset: true, suspend: true, subscription: true, classFilter: false),
            CommitOffset = 5725,
            SuspendTimeoutMillis = 15000,
            Subscription = "TagA || TagB",
            SubVersion = 1506681831385,
        };
        var response = new PullMessageResponseHeader { SuggestWhichBrokerId = 0, NextBeginOffset = 10, MinOffset = 0, MaxOffset = 10 };

        Assert.Equal(request, RoundTrip(request.ToExtFields, PullMessageRequestHeader.FromExtFields));
        Assert.Equal(response, RoundTrip(response.ToExtFields, PullMessageResponseHeader.FromExtFields));
        Assert.Equal(7, request.SysFlag);
    }

    [Fact]
    public void Transaction_send_back_and_name_server_headers_round_trip()
    {
        var end = new EndTransactionRequestHeader
        {
            ProducerGroup = "PG", TranStateTableOffset = 3, CommitLogOffset = 4096,
            CommitOrRollback = TransactionCommitOrRollback.Commit, FromTransactionCheck = true, MsgId = "ID", TransactionId = "TX",
        };
        var check = new CheckTransactionStateRequestHeader { TranStateTableOffset = 3, CommitLogOffset = 4096, MsgId = "ID", OffsetMsgId = "OFF" };
        var back = new ConsumerSendMsgBackRequestHeader { Offset = 4096, Group = "CG", DelayLevel = 0, OriginMsgId = "OFF", OriginTopic = "T", MaxReconsumeTimes = 16 };
        var register = new RegisterBrokerRequestHeader
        {
            BrokerName = "RaftNode00", BrokerAddr = "127.0.0.1:30911", ClusterName = "C", HaServerAddr = "127.0.0.1:30912", BrokerId = 0, BodyCrc32 = 12345,
        };
        var identity = new BrokerIdentityRequestHeader { BrokerName = "b", BrokerAddr = "a:1", ClusterName = "c", BrokerId = 2 };
        var query = new QueryMessageRequestHeader { Topic = "T", Key = "k", MaxNum = 32, BeginTimestamp = 1, EndTimestamp = 2, UniqueKeyQuery = true };

        Assert.Equal(end, RoundTrip(end.ToExtFields, EndTransactionRequestHeader.FromExtFields));
        Assert.Equal(check, RoundTrip(check.ToExtFields, CheckTransactionStateRequestHeader.FromExtFields));
        Assert.Equal(back, RoundTrip(back.ToExtFields, ConsumerSendMsgBackRequestHeader.FromExtFields));
        Assert.Equal(register, RoundTrip(register.ToExtFields, RegisterBrokerRequestHeader.FromExtFields));
        Assert.Equal(identity, RoundTrip(identity.ToExtFields, BrokerIdentityRequestHeader.FromExtFields));
        Assert.Equal(query, RoundTrip(query.ToExtFields, QueryMessageRequestHeader.FromExtFields));
    }

    [Fact]
    public void Java_boolean_parsing_treats_anything_but_true_as_false()
    {
        var fields = new StringMap();
        fields.Set("changed", "TRUE");
        Assert.True(QueryDataVersionResponseHeader.FromExtFields(fields).Changed);
        fields.Set("changed", "yes");
        Assert.False(QueryDataVersionResponseHeader.FromExtFields(fields).Changed);
    }

    [Fact]
    public void Send_response_keeps_region_and_trace_fields()
    {
        var header = new SendMessageResponseHeader
        {
            MsgId = "7F00000100002A9F0000000000001234", QueueId = 1, QueueOffset = 9, MessageRegion = "DefaultRegion", TraceOn = "true",
        };
        var fields = new StringMap();
        header.ToExtFields(fields);

        Assert.Equal("DefaultRegion", fields["MSG_REGION"]);
        Assert.Equal("true", fields["TRACE_ON"]);
        Assert.Equal(header, SendMessageResponseHeader.FromExtFields(fields));
    }

    private static T RoundTrip<T>(Action<StringMap> write, Func<StringMap, T> read)
    {
        var fields = new StringMap();
        write(fields);
        return read(fields);
    }
}
