using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Tests.Acl;

public class AclSignatureTests
{
    [Fact]
    public void Signature_is_hmac_sha1_of_the_sorted_field_values_and_the_body()
    {
        // Reference computed outside .NET: base64(hmac_sha1("12345678", "RocketMQ" + "ALIYUN" + "3" + "TopicA" + "hello body")),
        // the order of the names AccessKey < OnsChannel < queueId < topic (ordinal, as Java's TreeMap and ali-ons' sort()).
        var fields = new StringMap();
        fields.Set("topic", "TopicA");
        fields.Set("queueId", "3");
        fields.Set("OnsChannel", "ALIYUN");
        fields.Set("AccessKey", "RocketMQ");
        fields.Set("Signature", "ignored");

        Assert.Equal("S6LL22kJwr5fg1dqg9LX+i+q7XU=", AclSignature.Compute(fields, "hello body"u8, "12345678"));
    }

    [Fact]
    public void A_signed_request_verifies_and_a_changed_field_or_body_does_not()
    {
        var request = RemotingCommand.CreateRequest(10);
        request.ExtFields.Set("topic", "TopicA");
        request.Body = "payload"u8.ToArray();
        AclSignature.Sign(request, new AclCredentials("producer01", "secret-01"));

        Assert.Equal("producer01", request.ExtFields[AclSignature.AccessKeyField]);
        string signature = request.ExtFields[AclSignature.SignatureField]!;
        Assert.True(AclSignature.Verify(request, "secret-01", signature));
        Assert.False(AclSignature.Verify(request, "secret-02", signature));

        request.Body = "payloaD"u8.ToArray();
        Assert.False(AclSignature.Verify(request, "secret-01", signature));
        request.Body = "payload"u8.ToArray();
        request.ExtFields.Set("topic", "TopicB");
        Assert.False(AclSignature.Verify(request, "secret-01", signature));
    }

    [Fact]
    public void Unique_key_query_flag_is_not_signed_and_re_signing_replaces_the_signature()
    {
        var request = RemotingCommand.CreateRequest(12);
        request.ExtFields.Set("topic", "TopicA");
        var credentials = new AclCredentials("producer01", "secret-01", "token-1");
        AclSignature.Sign(request, credentials);
        request.ExtFields.Set(AclSignature.UniqueKeyQueryField, "true");
        Assert.True(AclSignature.Verify(request, "secret-01", request.ExtFields[AclSignature.SignatureField]!));

        AclSignature.Sign(request, credentials);
        Assert.Equal("token-1", request.ExtFields[AclSignature.SecurityTokenField]);
        Assert.True(AclSignature.Verify(request, "secret-01", request.ExtFields[AclSignature.SignatureField]!));
    }

    [Fact]
    public void Credentials_need_both_keys_or_neither()
    {
        Assert.Null(AclCredentials.Resolve("", ""));
        Assert.Equal("ak-123456", AclCredentials.Resolve("ak-123456", "sk-123456")!.AccessKey);
        Assert.Throws<ArgumentException>(() => AclCredentials.Resolve("ak-123456", ""));
        Assert.DoesNotContain("sk-123456", new AclCredentials("ak-123456", "sk-123456").ToString(), StringComparison.Ordinal);
    }
}
