using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

/// <summary>SQL92 subscriptions on a broker with <c>enablePropertyFilter=true</c>: pulls, heartbeats, CHECK_CLIENT_CONFIG.</summary>
public sealed class Sql92PullTests
{
    private static async Task<BrokerTestKit> KitWithMessages(int count, bool enabled = true)
    {
        var kit = new BrokerTestKit(o => o with { EnablePropertyFilter = enabled });
        kit.Store.AddTopic("T");
        for (int i = 0; i < count; i++)
        {
            string properties = $"TAGS\u0001Tag{i % 2}\u0002a\u0001{i}\u0002region\u0001{(i % 3 == 0 ? "eu" : "us")}";
            Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", [(byte)i], properties: properties))).Code);
        }
        return kit;
    }

    private static List<string?> Values(RemotingCommand response, string property)
    {
        var values = new List<string?>();
        foreach (var message in StoredMessageView.ReadAll(response.Body.Span)) values.Add(message.ToDecodedMessage().Properties[property]);
        return values;
    }

    [Fact]
    public async Task Pull_serves_only_messages_whose_properties_match_and_moves_past_the_others()
    {
        await using var kit = await KitWithMessages(10);
        var response = await kit.InvokeAsync(Pull("T", 0, 0, subscription: "a >= 3 AND region = 'eu'", expressionType: "SQL92"));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Equal(["3", "6", "9"], Values(response, "a"));
        Assert.Equal(10, PullHeader(response).NextBeginOffset);
    }

    [Fact]
    public async Task Pull_with_nothing_matching_answers_retry_immediately_at_the_end_of_the_scan()
    {
        await using var kit = await KitWithMessages(6);
        var response = await kit.InvokeAsync(Pull("T", 0, 2, subscription: "missing IS NOT NULL", expressionType: "SQL92"));

        Assert.Equal(ResponseCode.PullRetryImmediately, response.Code);
        Assert.Equal(6, PullHeader(response).NextBeginOffset);
    }

    [Fact]
    public async Task Pull_uses_the_sql92_subscription_registered_by_heartbeat()
    {
        await using var kit = await KitWithMessages(6);
        var heartbeat = await kit.InvokeAsync(Heartbeat("c1", subString: "TAGS = 'Tag1' AND a > 2", expressionType: "SQL92"));
        Assert.Equal(ResponseCode.Success, heartbeat.Code);
        var response = await kit.InvokeAsync(Pull("T", 0, 0, sysFlag: 0));

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Equal(["3", "5"], Values(response, "a"));
    }

    [Fact]
    public async Task Pull_with_an_expression_that_does_not_parse_answers_subscription_parse_failed_naming_the_token()
    {
        await using var kit = await KitWithMessages(1);
        var response = await kit.InvokeAsync(Pull("T", 0, 0, subscription: "a >> 1", expressionType: "SQL92"));

        Assert.Equal(ResponseCode.SubscriptionParseFailed, response.Code);
        Assert.Contains("unexpected \">\" at line 1, column 4", response.Remark, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "a >> 1", ResponseCode.SubscriptionParseFailed, "column 4")]
    [InlineData(false, "a > 1", ResponseCode.SystemError, "does not support consumer to filter message by SQL92")]
    public async Task Heartbeat_with_a_refused_sql92_subscription_registers_nothing(bool enabled, string expression, int code, string remark)
    {
        await using var kit = await KitWithMessages(1, enabled);
        var response = await kit.InvokeAsync(Heartbeat("c1", subString: expression, expressionType: "SQL92"));

        Assert.Equal(code, response.Code);
        Assert.Contains(remark, response.Remark, StringComparison.Ordinal);
        Assert.Equal(ResponseCode.SubscriptionNotExist, (await kit.InvokeAsync(Pull("T", 0, 0, sysFlag: 0))).Code);
        Assert.Null(kit.Store.FindTopic(SystemNames.RetryTopic("CG")));
    }

    [Theory]
    [InlineData(true, "SQL92", "a > 1 AND b IN ('x')", ResponseCode.Success)]
    [InlineData(true, "SQL92", "a > ", ResponseCode.SubscriptionParseFailed)]
    [InlineData(false, "SQL92", "a > 1", ResponseCode.SystemError)]
    [InlineData(false, "TAG", "TagA || TagB", ResponseCode.Success)]
    public async Task Check_client_config_validates_a_subscription_before_the_consumer_starts(bool enabled, string type, string expression, int code)
    {
        await using var kit = await KitWithMessages(0, enabled);
        var request = RemotingCommand.CreateRequest(RequestCode.CheckClientConfig);
        request.Body = ProtocolJson.Encode(new CheckClientRequestBody
        {
            ClientId = "c1",
            Group = "CG",
            SubscriptionData = new SubscriptionData { Topic = "T", SubString = expression, ExpressionType = type, SubVersion = 1 },
        });

        var response = await kit.InvokeAsync(request);

        Assert.Equal(code, response.Code);
        if (code == ResponseCode.SubscriptionParseFailed) Assert.Contains("line 1, column 5", response.Remark, StringComparison.Ordinal);
    }
}
