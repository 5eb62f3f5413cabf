using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

/// <summary>Codes 200/201/207 and what the broker does with a group's settings: pulls, broadcasting, retry limits.</summary>
public sealed class SubscriptionGroupTests
{
    private static RemotingCommand Update(SubscriptionGroupConfig config)
    {
        var request = RemotingCommand.CreateRequest(RequestCode.UpdateAndCreateSubscriptionGroup);
        request.Body = ProtocolJson.Encode(config);
        return request;
    }

    private static async Task<BrokerTestKit> KitWithOneMessage()
    {
        var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", "payload"u8.ToArray()))).Code);
        return kit;
    }

    [Fact]
    public async Task Updated_settings_are_listed_by_201_and_gone_after_207()
    {
        await using var kit = new BrokerTestKit();
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(Update(new SubscriptionGroupConfig { GroupName = "CG", RetryMaxTimes = 5 }))).Code);

        var listed = ProtocolJson.Decode<SubscriptionGroupWrapper>((await kit.InvokeAsync(Request(RequestCode.GetAllSubscriptionGroupConfig))).Body.Span);
        Assert.Equal(5, listed.SubscriptionGroupTable["CG"].RetryMaxTimes);

        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(Request(RequestCode.DeleteSubscriptionGroup, ("groupName", "CG")))).Code);
        var after = ProtocolJson.Decode<SubscriptionGroupWrapper>((await kit.InvokeAsync(Request(RequestCode.GetAllSubscriptionGroupConfig))).Body.Span);
        Assert.Empty(after.SubscriptionGroupTable);
    }

    [Fact]
    public async Task Unusable_settings_are_refused_with_the_reason_and_nothing_is_stored()
    {
        await using var kit = new BrokerTestKit();
        var response = await kit.InvokeAsync(Update(new SubscriptionGroupConfig { GroupName = "CG", RetryQueueNums = 0 }));

        Assert.Equal(ResponseCode.SystemError, response.Code);
        Assert.Contains("retryQueueNums 0", response.Remark, StringComparison.Ordinal);
        Assert.Null(kit.Store.FindSubscriptionGroup("CG"));
    }

    [Fact]
    public async Task A_follower_refuses_an_update_as_not_master()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.IsWritable = false;
        var response = await kit.InvokeAsync(Update(new SubscriptionGroupConfig { GroupName = "CG" }));

        Assert.Equal(ResponseCode.ServiceNotAvailable, response.Code);
        Assert.Contains("not master", response.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_of_a_group_with_consume_disabled_is_refused_with_no_permission_until_it_is_enabled()
    {
        await using var kit = await KitWithOneMessage();
        await kit.InvokeAsync(Update(new SubscriptionGroupConfig { GroupName = "CG", ConsumeEnable = false }));

        var refused = await kit.InvokeAsync(Pull("T", 0, 0));
        Assert.Equal(ResponseCode.NoPermission, refused.Code);
        Assert.Equal("subscription group no permission, CG", refused.Remark);

        await kit.InvokeAsync(Update(new SubscriptionGroupConfig { GroupName = "CG", ConsumeEnable = true }));
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(Pull("T", 0, 0))).Code);
    }

    [Fact]
    public async Task Send_back_without_a_client_limit_uses_the_groups_retry_max_times()
    {
        await using var kit = await KitWithOneMessage();
        await kit.InvokeAsync(Update(new SubscriptionGroupConfig { GroupName = "CG", RetryMaxTimes = 0 }));
        long offset = kit.Store.Messages("T", 0)[0].PhysicalOffset;
        var request = RemotingCommand.CreateRequest(RequestCode.ConsumerSendMsgBack);
        new ConsumerSendMsgBackRequestHeader { Offset = offset, Group = "CG", DelayLevel = 0, MaxReconsumeTimes = null }.ToExtFields(request.ExtFields);

        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(request)).Code);

        Assert.Single(kit.Store.Messages(SystemNames.DlqTopic("CG"), 0));
        Assert.Empty(kit.Store.Messages(SystemNames.ScheduleTopic, 2));
    }

    [Fact]
    public async Task Changing_retry_queue_nums_resizes_an_existing_retry_topic()
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic(SystemNames.RetryTopic("CG"), 1);

        await kit.InvokeAsync(Update(new SubscriptionGroupConfig { GroupName = "CG", RetryQueueNums = 3 }));

        var retry = kit.Store.FindTopic(SystemNames.RetryTopic("CG"));
        Assert.NotNull(retry);
        Assert.Equal(3, retry.WriteQueueNums);
        Assert.Equal(3, retry.ReadQueueNums);
    }
}
