using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;
using static RaftMq.Broker.Tests.Processors.BrokerTestKit;

namespace RaftMq.Broker.Tests.Processors;

public sealed class PullProcessorTests
{
    private static async Task<BrokerTestKit> KitWithMessages(int count, Func<int, string>? properties = null, bool followersServePulls = false)
    {
        var kit = new BrokerTestKit(o => o with { MaxSuspendTime = TimeSpan.FromSeconds(25), FollowersServePulls = followersServePulls });
        kit.Store.AddTopic("T");
        for (int i = 0; i < count; i++)
        {
            var response = await kit.InvokeAsync(SendV2("T", [(byte)i], properties: properties?.Invoke(i) ?? "TAGS\u0001TagA"));
            Assert.Equal(ResponseCode.Success, response.Code);
        }
        return kit;
    }

    [Fact]
    public async Task Pull_returns_found_messages_with_patched_offsets_and_the_four_header_fields()
    {
        await using var kit = await KitWithMessages(3);
        var response = await kit.InvokeAsync(Pull("T", 0, 1));

        Assert.Equal(ResponseCode.Success, response.Code);
        var header = PullHeader(response);
        Assert.Equal(0, header.SuggestWhichBrokerId);
        Assert.Equal(3, header.NextBeginOffset);
        Assert.Equal(0, header.MinOffset);
        Assert.Equal(3, header.MaxOffset);
        var offsets = new List<long>();
        foreach (var message in StoredMessageView.ReadAll(response.Body.Span)) offsets.Add(message.QueueOffset);
        Assert.Equal([1L, 2L], offsets);
    }

    [Fact]
    public async Task Pull_at_the_max_offset_without_suspend_answers_not_found_with_the_same_offset()
    {
        await using var kit = await KitWithMessages(2);
        var response = await kit.InvokeAsync(Pull("T", 0, 2));

        Assert.Equal(ResponseCode.PullNotFound, response.Code);
        var header = PullHeader(response);
        Assert.Equal(2, header.NextBeginOffset);
        Assert.Equal(2, header.MaxOffset);
        Assert.Equal(0, header.MinOffset);
    }

    [Fact]
    public async Task Pull_returns_offset_moved_when_offset_below_min()
    {
        await using var kit = await KitWithMessages(3);
        kit.Store.MinOffsetOverride = 2;
        var response = await kit.InvokeAsync(Pull("T", 0, 0));

        Assert.Equal(ResponseCode.PullOffsetMoved, response.Code);
        Assert.Equal(2, PullHeader(response).NextBeginOffset);
        Assert.Equal(2, PullHeader(response).MinOffset);
    }

    [Fact]
    public async Task Pull_beyond_the_max_offset_moves_the_consumer_back_to_max()
    {
        await using var kit = await KitWithMessages(2);
        var response = await kit.InvokeAsync(Pull("T", 0, 9));

        Assert.Equal(ResponseCode.PullOffsetMoved, response.Code);
        Assert.Equal(2, PullHeader(response).NextBeginOffset);
        Assert.Equal(2, PullHeader(response).MaxOffset);
    }

    [Theory]
    [InlineData(0, ResponseCode.PullNotFound)]
    [InlineData(5, ResponseCode.PullOffsetMoved)]
    public async Task Pull_from_an_empty_queue_starts_over_at_zero(long offset, int expectedCode)
    {
        await using var kit = new BrokerTestKit();
        kit.Store.AddTopic("T");
        var response = await kit.InvokeAsync(Pull("T", 0, offset));

        Assert.Equal(expectedCode, response.Code);
        var header = PullHeader(response);
        Assert.Equal(0, header.NextBeginOffset);
        Assert.Equal(0, header.MaxOffset);
        Assert.Equal(0, header.MinOffset);
    }

    [Fact]
    public async Task Tag_filter_skips_other_tags_and_answers_retry_immediately_when_nothing_matched()
    {
        await using var kit = await KitWithMessages(4, i => i % 2 == 0 ? "TAGS\u0001TagA" : "TAGS\u0001TagB");
        var matched = await kit.InvokeAsync(Pull("T", 0, 0, subscription: "TagB || TagC"));
        var none = await kit.InvokeAsync(Pull("T", 0, 0, subscription: "TagZ"));

        Assert.Equal(ResponseCode.Success, matched.Code);
        var tags = new List<string?>();
        foreach (var message in StoredMessageView.ReadAll(matched.Body.Span)) tags.Add(message.ToDecodedMessage().Tags);
        Assert.Equal(["TagB", "TagB"], tags);
        Assert.Equal(ResponseCode.PullRetryImmediately, none.Code);
        Assert.Equal(4, PullHeader(none).NextBeginOffset);
    }

    [Fact]
    public async Task Heartbeat_subscription_is_used_when_the_pull_carries_none()
    {
        await using var kit = await KitWithMessages(2, i => i == 0 ? "TAGS\u0001TagA" : "TAGS\u0001TagB");
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(Heartbeat("c1", subString: "TagB"))).Code);
        var response = await kit.InvokeAsync(Pull("T", 0, 0, sysFlag: 0));

        Assert.Equal(ResponseCode.Success, response.Code);
        var message = Assert.Single(DecodeAll(response.Body.ToArray()));
        Assert.Equal("TagB", message.Tags);
    }

    [Fact]
    public async Task Pull_without_any_subscription_answers_subscription_not_exist()
    {
        await using var kit = await KitWithMessages(1);
        var response = await kit.InvokeAsync(Pull("T", 0, 0, sysFlag: 0));

        Assert.Equal(ResponseCode.SubscriptionNotExist, response.Code);
    }

    [Fact]
    public async Task Sql92_pulls_are_refused_with_system_error_while_property_filtering_is_disabled()
    {
        await using var kit = await KitWithMessages(1);
        var response = await kit.InvokeAsync(Pull("T", 0, 0, subscription: "a > 1", expressionType: "SQL92"));

        Assert.Equal(ResponseCode.SystemError, response.Code);
        Assert.Contains("does not support consumer to filter message by SQL92", response.Remark, StringComparison.Ordinal);
        Assert.Contains("enablePropertyFilter=true", response.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_of_an_unknown_topic_answers_topic_not_exist()
    {
        await using var kit = new BrokerTestKit();
        var response = await kit.InvokeAsync(Pull("Nope", 0, 0));

        Assert.Equal(ResponseCode.TopicNotExist, response.Code);
    }

    [Fact]
    public async Task Commit_offset_flag_stores_the_consumer_offset_on_the_leader()
    {
        await using var kit = await KitWithMessages(2);
        await kit.InvokeAsync(Pull("T", 0, 0, sysFlag: PullSysFlag.Subscription | PullSysFlag.CommitOffset, commitOffset: 1));

        Assert.Equal(1, kit.Store.QueryConsumerOffset("CG", "T", 0));
    }

    [Fact]
    public async Task Long_poll_wakes_when_a_message_arrives_in_the_queue()
    {
        await using var kit = await KitWithMessages(1);
        var parked = kit.InvokeAsync(Pull("T", 0, 1, sysFlag: PullSysFlag.Subscription | PullSysFlag.Suspend, suspendMillis: 20_000));
        await WaitUntilAsync(() => kit.Processors.LongPolling.Count == 1, "the pull is parked");
        Assert.False(parked.IsCompleted);

        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", [42]))).Code);
        var response = await parked;

        Assert.Equal(ResponseCode.Success, response.Code);
        Assert.Equal(2, PullHeader(response).NextBeginOffset);
        Assert.Equal([42], Assert.Single(DecodeAll(response.Body.ToArray())).Body);
        Assert.Equal(0, kit.Processors.LongPolling.Count);
    }

    [Fact]
    public async Task Long_poll_times_out_with_pull_not_found_and_the_four_fields()
    {
        await using var kit = await KitWithMessages(1);
        var response = await kit.InvokeAsync(Pull("T", 0, 1, sysFlag: PullSysFlag.Subscription | PullSysFlag.Suspend, suspendMillis: 200));

        Assert.Equal(ResponseCode.PullNotFound, response.Code);
        var header = PullHeader(response);
        Assert.Equal(1, header.NextBeginOffset);
        Assert.Equal(1, header.MaxOffset);
        Assert.Equal(0, header.SuggestWhichBrokerId);
    }

    [Fact]
    public async Task Role_change_wakes_parked_pulls_and_they_are_told_to_find_the_new_master()
    {
        await using var kit = await KitWithMessages(1);
        var parked = kit.InvokeAsync(Pull("T", 0, 1, sysFlag: PullSysFlag.Subscription | PullSysFlag.Suspend, suspendMillis: 20_000));
        await WaitUntilAsync(() => kit.Processors.LongPolling.Count == 1, "the pull is parked");
        kit.Store.RaiseRoleChanged(false);

        var response = await parked;
        Assert.Equal(ResponseCode.ServiceNotAvailable, response.Code);
        Assert.Contains("not master", response.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parked_pulls_are_bounded_and_the_excess_is_answered_at_once()
    {
        await using var kit = new BrokerTestKit(o => o with { MaxSuspendedPulls = 1 });
        kit.Store.AddTopic("T");
        var first = kit.InvokeAsync(Pull("T", 0, 0, sysFlag: PullSysFlag.Subscription | PullSysFlag.Suspend, suspendMillis: 20_000));
        await WaitUntilAsync(() => kit.Processors.LongPolling.Count == 1, "the first pull is parked");
        var second = await kit.InvokeAsync(Pull("T", 1, 0, sysFlag: PullSysFlag.Subscription | PullSysFlag.Suspend, suspendMillis: 20_000));

        Assert.Equal(ResponseCode.PullNotFound, second.Code);
        Assert.False(first.IsCompleted);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", [1], queueId: 0))).Code);
        Assert.Equal(ResponseCode.Success, (await first).Code);
    }

    [Fact]
    public async Task Lowering_the_parked_pull_bound_at_run_time_answers_the_next_pull_at_once()
    {
        await using var kit = new BrokerTestKit(o => o with { MaxSuspendedPulls = 10 });
        kit.Store.AddTopic("T");
        var first = kit.InvokeAsync(Pull("T", 0, 0, sysFlag: PullSysFlag.Subscription | PullSysFlag.Suspend, suspendMillis: 20_000));
        await WaitUntilAsync(() => kit.Processors.LongPolling.Count == 1, "the first pull is parked");

        kit.Processors.Runtime.LongPollingMaxParked = 1;
        var second = await kit.InvokeAsync(Pull("T", 1, 0, sysFlag: PullSysFlag.Subscription | PullSysFlag.Suspend, suspendMillis: 20_000));

        Assert.Equal(ResponseCode.PullNotFound, second.Code);
        Assert.Equal(1, kit.Processors.LongPolling.Count);
        Assert.Equal(ResponseCode.Success, (await kit.InvokeAsync(SendV2("T", [1], queueId: 0))).Code);
        Assert.Equal(ResponseCode.Success, (await first).Code);
    }

    [Fact]
    public async Task Follower_refuses_pulls_as_not_master_so_its_state_never_moves_a_consumer_offset()
    {
        await using var kit = await KitWithMessages(1);
        kit.Store.IsWritable = false;
        var response = await kit.InvokeAsync(Pull("T", 0, 5)); // beyond its max: a leader would say "offset moved"

        Assert.Equal(ResponseCode.ServiceNotAvailable, response.Code);
        Assert.Contains("not master", response.Remark, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follower_serves_what_it_applied_but_never_moves_a_consumer_offset()
    {
        await using var kit = await KitWithMessages(3, followersServePulls: true);
        kit.Store.IsWritable = false;
        var found = await kit.InvokeAsync(Pull("T", 0, 1));
        var ahead = await kit.InvokeAsync(Pull("T", 0, 7)); // beyond what it applied: it may only lag the leader

        Assert.Equal(ResponseCode.Success, found.Code);
        Assert.Equal(3, PullHeader(found).NextBeginOffset);
        Assert.Equal(ResponseCode.PullNotFound, ahead.Code);
        Assert.Equal(7, PullHeader(ahead).NextBeginOffset);
    }

    private static List<DecodedMessage> DecodeAll(byte[] body)
    {
        var messages = new List<DecodedMessage>();
        foreach (var message in StoredMessageView.ReadAll(body)) messages.Add(message.ToDecodedMessage());
        return messages;
    }
}
