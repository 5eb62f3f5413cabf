using System.Net;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Tests.Acl;

public class PlainAclRulesTests
{
    private static readonly IPAddress Client = IPAddress.Parse("10.1.2.3");
    private static readonly AclCredentials Producer = new("producer01", "producer-secret");
    private static readonly AclCredentials Consumer = new("consumer01", "consumer-secret");
    private static readonly AclCredentials Admin = new("admin0001", "admin-secret");

    private static readonly PlainAclRules Rules = PlainAclRules.Compile(PlainAclYaml.Parse("""
        globalWhiteRemoteAddresses:
          - 192.168.0.*
        accounts:
          - accessKey: producer01
            secretKey: producer-secret
            defaultTopicPerm: DENY
            defaultGroupPerm: DENY
            topicPerms:
              - TopicA=PUB
              - TopicB=DENY
          - accessKey: consumer01
            secretKey: consumer-secret
            whiteRemoteAddress: 10.9.9.1-20
            defaultTopicPerm: SUB
            defaultGroupPerm: DENY
            groupPerms:
              - GroupA=SUB
          - accessKey: admin0001
            secretKey: admin-secret
            admin: true
        """));

    private static AclRefusal? Check(RemotingCommand request, IPAddress? from = null) =>
        Rules.Check(request, from ?? Client, AclRequestResources.BrokerAdminCodes);

    private static RemotingCommand Send(string topic, AclCredentials? credentials)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.SendMessageV2);
        request.ExtFields.Set("a", "ProducerGroup");
        request.ExtFields.Set("b", topic);
        request.Body = "body"u8.ToArray();
        if (credentials is not null) AclSignature.Sign(request, credentials);
        return request;
    }

    private static RemotingCommand Pull(string topic, string group, AclCredentials credentials)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.PullMessage);
        request.ExtFields.Set("topic", topic);
        request.ExtFields.Set("consumerGroup", group);
        AclSignature.Sign(request, credentials);
        return request;
    }

    [Fact]
    public void A_signed_send_with_pub_on_the_topic_passes()
    {
        Assert.Null(Check(Send("TopicA", Producer)));
    }

    [Fact]
    public void Unsigned_request_from_an_address_outside_the_global_white_list_is_refused()
    {
        var refusal = Check(Send("TopicA", null));
        Assert.Equal(AclRefusalReason.NotWhitelisted, refusal?.Reason);
        Assert.StartsWith("No accessKey is configured", refusal?.Remark, StringComparison.Ordinal);
        Assert.Contains("10.1.2.3", refusal?.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsigned_request_from_a_globally_white_listed_address_passes()
    {
        Assert.Null(Check(Send("TopicB", null), IPAddress.Parse("192.168.0.77")));
    }

    [Fact]
    public void Access_key_without_signature_is_refused_as_unsigned()
    {
        var request = Send("TopicA", null);
        request.ExtFields.Set(AclSignature.AccessKeyField, "producer01");
        var refusal = Check(request);
        Assert.Equal(AclRefusalReason.Unsigned, refusal?.Reason);
        Assert.Contains("carries no Signature", refusal?.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_secret_is_refused_as_a_bad_signature()
    {
        var refusal = Check(Send("TopicA", Producer with { SecretKey = "guessed-secret" }));
        Assert.Equal(AclRefusalReason.BadSignature, refusal?.Reason);
        Assert.StartsWith("Check signature failed for accessKey=producer01", refusal?.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_access_key_is_refused()
    {
        var refusal = Check(Send("TopicA", new AclCredentials("stranger1", "whatever-1")));
        Assert.Equal(new AclRefusal(AclRefusalReason.UnknownKey, "No acl config for stranger1"), refusal);
    }

    [Fact]
    public void Send_to_a_denied_or_unlisted_topic_is_refused_naming_the_topic()
    {
        var denied = Check(Send("TopicB", Producer));
        Assert.Equal(AclRefusalReason.NoPermission, denied?.Reason);
        Assert.StartsWith("No permission for topic:TopicB", denied?.Remark, StringComparison.Ordinal);
        var unlisted = Check(Send("TopicC", Producer));
        Assert.StartsWith("No default permission for topic:TopicC", unlisted?.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public void Pull_needs_sub_on_the_topic_and_on_the_group()
    {
        Assert.Null(Check(Pull("TopicA", "GroupA", Consumer)));
        var refusal = Check(Pull("TopicA", "GroupB", Consumer));
        Assert.Equal(AclRefusalReason.NoPermission, refusal?.Reason);
        Assert.StartsWith("No default permission for group:GroupB", refusal?.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_topic_sends_are_covered_by_the_group_permission()
    {
        var retry = Send("%RETRY%GroupA", Consumer);
        Assert.Null(Check(retry));
        var other = Send("%RETRY%GroupB", Consumer);
        Assert.StartsWith("No default permission for group:GroupB", Check(other)?.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public void Heartbeat_needs_sub_on_each_consumer_group_and_subscribed_topic()
    {
        var heartbeat = new HeartbeatData
        {
            ClientId = "c1",
            ConsumerDataSet = [new ConsumerData { GroupName = "GroupA", SubscriptionDataSet = [new SubscriptionData { Topic = "TopicA" }] }],
        };
        var request = RemotingCommand.CreateRequest(RequestCode.HeartBeat);
        request.Body = ProtocolJson.Encode(heartbeat);
        AclSignature.Sign(request, Consumer);
        Assert.Null(Check(request));

        heartbeat.ConsumerDataSet[0].GroupName = "GroupB";
        request.Body = ProtocolJson.Encode(heartbeat);
        AclSignature.Sign(request, Consumer);
        Assert.Equal(AclRefusalReason.NoPermission, Check(request)?.Reason);
    }

    [Fact]
    public void Admin_codes_need_an_admin_account_and_an_admin_without_listed_permissions_may_use_everything()
    {
        var create = RemotingCommand.CreateRequest(RequestCode.UpdateAndCreateTopic);
        create.ExtFields.Set("topic", "TopicZ");
        AclSignature.Sign(create, Producer);
        var refusal = Check(create);
        Assert.Equal(AclRefusalReason.NotAdmin, refusal?.Reason);
        Assert.Equal("Need admin permission for request code=17, but accessKey=producer01 is not", refusal?.Remark);

        AclSignature.Sign(create, Admin);
        Assert.Null(Check(create));
        Assert.Null(Check(Send("AnyTopic", Admin)));
    }

    [Fact]
    public void Account_white_address_passes_without_signature()
    {
        var request = Send("TopicB", null);
        request.ExtFields.Set(AclSignature.AccessKeyField, "consumer01");
        Assert.Null(Check(request, IPAddress.Parse("10.9.9.15")));
        Assert.Equal(AclRefusalReason.Unsigned, Check(request, IPAddress.Parse("10.9.9.21"))?.Reason);
    }

    [Fact]
    public void Malformed_heartbeat_body_is_refused_not_thrown()
    {
        var request = RemotingCommand.CreateRequest(RequestCode.HeartBeat);
        request.Body = "{not json"u8.ToArray();
        AclSignature.Sign(request, Consumer);
        Assert.Equal(AclRefusalReason.Malformed, Check(request)?.Reason);
    }

    [Theory]
    [InlineData("*", "8.8.8.8", true)]
    [InlineData("", "127.0.0.1", false)]
    [InlineData("192.168.1.*", "192.168.1.200", true)]
    [InlineData("192.168.1.*", "192.168.2.1", false)]
    [InlineData("192.168.*.*", "192.168.77.1", true)]
    [InlineData("10.0.0.1-20", "10.0.0.20", true)]
    [InlineData("10.0.0.1-20", "10.0.0.21", false)]
    [InlineData("192.168.1.{1,5}", "192.168.1.5", true)]
    [InlineData("192.168.1.{1,5}", "192.168.1.4", false)]
    [InlineData("127.0.0.1,10.0.0.2", "10.0.0.2", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)]
    public void Address_patterns_match_as_rocketmq_strategies(string pattern, string address, bool matches)
    {
        Assert.Equal(matches, RemoteAddressPattern.Parse(pattern).Matches(IPAddress.Parse(address)));
    }
}
