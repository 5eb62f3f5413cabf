using System.Text;
using Microsoft.Playwright;
using RaftMq.Cli.Processes;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Messages;
using static Microsoft.Playwright.Assertions;

namespace RaftMq.Dashboard.Tests;

/// <summary>What the console reads from the brokers beyond rates: today's totals on the cockpit, a group's subscription
/// settings and members on the consumer pages, a producer group's members, a message's trace on the message page.</summary>
[Collection(DashboardCollection.Name)]
public sealed class InspectionTests(DashboardFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly PageWaitForFunctionOptions Wait = new() { Timeout = 60_000, PollingInterval = 250 };

    [Fact]
    public async Task Cockpit_counts_todays_puts_from_the_brokers_daily_counters()
    {
        const string topic = "DashDailyTopic";
        const int sends = 12;
        await fixture.Cluster.CreateTopicAsync(topic, 2);
        await using var producer = await StartProducerAsync("dash-daily-producer", trace: false);
        for (int i = 0; i < sends; i++) await SendAsync(producer, topic, $"daily {i}");

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        // "put today / yesterday": today counts every put since the brokers' last midnight, this test's among them.
        await page.WaitForFunctionAsync($"() => parseInt((document.querySelector('#stat-put-daily .value')?.textContent || '0').split('/')[0].replace(/,/g, ''), 10) >= {sends}",
            null, Wait);
        await Expect(page.Locator("#stat-get-daily .value")).ToContainTextAsync("/");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Consumer_page_shows_the_subscription_settings_the_master_holds()
    {
        const string group = "DashSettingsGroup";
        await Poll.UntilTrueAsync(async token =>
        {
            try
            {
                var current = await fixture.Cluster.Admin.GetClusterMasterAddressesAsync(fixture.Cluster.Layout.ClusterName, token);
                await fixture.Cluster.Admin.CreateOrUpdateSubscriptionGroupAsync(current.Values.Single(),
                    new SubscriptionGroupConfig { GroupName = group, RetryMaxTimes = 5, ConsumeBroadcastEnable = false }, token);
                return true;
            }
            catch (MQException)
            {
                return false; // a leader change in between: ask the new master
            }
        }, Deadline, PollInterval, $"the settings of {group} to be stored", CancellationToken.None);

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/consumer?group={group}");
        var row = page.Locator("#subscription-config tbody tr").First;
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync(fixture.Cluster.Layout.BrokerName);
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("own");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("no");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("5");
        await fixture.ScreenshotAsync(page, "consumer-group-settings");

        await page.GotoAsync("/consumer?group=DashGroupWithoutSettings");
        await Expect(page.Locator("#subscription-config tbody tr").First.Locator("td").Nth(1)).ToHaveTextAsync("defaults");
        await Expect(page.Locator("#subscription-config tbody tr").First.Locator("td").Nth(4)).ToHaveTextAsync("16");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Message_page_shows_the_trace_of_a_traced_message_and_says_when_a_message_has_none()
    {
        const string topic = "DashTraceTopic";
        await fixture.Cluster.CreateTopicAsync(topic, 2);
        await fixture.Cluster.CreateTopicAsync(SystemNames.TraceTopic, 1);
        await using var traced = await StartProducerAsync("dash-trace-producer", trace: true);
        await using var untraced = await StartProducerAsync("dash-plain-producer", trace: false);
        string tracedId = await SendAsync(traced, topic, "traced");
        string plainId = await SendAsync(untraced, topic, "not traced");
        await Poll.UntilTrueAsync(async token => !(await fixture.Cluster.Admin.QueryMessageTraceAsync(tracedId, cancellationToken: token)).IsEmpty,
            Deadline, PollInterval, $"the trace record of {tracedId}", CancellationToken.None);

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/message?topic={topic}&id={tracedId}");
        await Expect(page.Locator("#trace-sends tbody tr").First.Locator("td").Nth(0)).ToHaveTextAsync("dash-trace-producer");
        await Expect(page.Locator("#trace-sends tbody tr").First).ToContainTextAsync("SEND_OK");
        await fixture.ScreenshotAsync(page, "message-trace");

        await page.GotoAsync($"/message?topic={topic}&id={plainId}");
        await Expect(page.Locator("#message-trace")).ToContainTextAsync("No trace record names this message");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Consumer_and_producer_pages_show_the_online_members_with_type_mode_and_addresses()
    {
        const string topic = "DashConnTopic";
        const string group = "DashConnGroup";
        const string producerGroup = "dash-conn-producer";
        await fixture.Cluster.CreateTopicAsync(topic, 2);
        await using var producer = await StartProducerAsync(producerGroup, trace: false);
        await SendAsync(producer, topic, "connections");
        await using var consumer = new PushConsumer(new PushConsumerOptions
        {
            NameServerAddresses = [fixture.Cluster.NameServer], InstanceName = "dash-conn-consumer", ConsumerGroup = group,
            MessageModel = MessageModel.Broadcasting, OffsetStoreDirectory = Path.Combine(fixture.Cluster.Root, "dash-offsets"),
        });
        consumer.Subscribe(topic, "TagA || TagB");
        await consumer.StartAsync((_, _, _) => ValueTask.FromResult(ConsumeResult.Success));
        await Poll.UntilTrueAsync(async token =>
        {
            try
            {
                await fixture.Cluster.Admin.GetConsumerConnectionAsync(group, token);
                await fixture.Cluster.Admin.GetProducerConnectionAsync(producerGroup, topic, token);
                return true;
            }
            catch (MQException)
            {
                return false; // not heartbeated yet
            }
        }, Deadline, PollInterval, $"{group} and {producerGroup} to be online at the master", CancellationToken.None);

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/consumers");
        await page.WaitForFunctionAsync($"() => {{ const row = [...document.querySelectorAll('#consumer-groups tbody tr')].find(r => r.cells[0].textContent === '{group}');" +
            " return row && row.cells[1].textContent === '1' && row.cells[4].textContent === 'push' && row.cells[5].textContent === 'broadcast'; }", null, Wait);

        await page.GotoAsync($"/consumer?group={group}");
        await Expect(page.Locator("#consumer-settings")).ToHaveTextAsync("type push, mode broadcast");
        await Expect(page.Locator("#consumer-clients tbody tr").First.Locator("td").Nth(1)).ToContainTextAsync("127.0.0.1:");
        await Expect(page.Locator("#consumer-subscriptions tbody tr").First).ToContainTextAsync("TagA || TagB");
        await fixture.ScreenshotAsync(page, "consumer-group");

        await page.GotoAsync($"/producers?topic={topic}&group={producerGroup}");
        await Expect(page.Locator("#producer-connections tbody tr").First.Locator("td").Nth(1)).ToContainTextAsync("127.0.0.1:");
        await fixture.ScreenshotAsync(page, "producers");
        await page.GotoAsync($"/producers?topic={topic}&group=nobody-sends");
        await Expect(page.Locator(".notice-warn")).ToContainTextAsync("has no online producer");
        await page.Context.CloseAsync();
    }

    private async Task<MQProducer> StartProducerAsync(string group, bool trace)
    {
        var producer = new MQProducer(new ProducerOptions
        {
            NameServerAddresses = [fixture.Cluster.NameServer], ProducerGroup = group, InstanceName = group, EnableMsgTrace = trace,
        });
        await producer.StartAsync();
        return producer;
    }

    /// <summary>Sends until acknowledged (a leader change in between is retried) and returns the message id.</summary>
    private static async Task<string> SendAsync(MQProducer producer, string topic, string body)
    {
        string? id = null;
        await Poll.UntilTrueAsync(async token =>
        {
            try
            {
                id = (await producer.SendAsync(new Message(topic, Encoding.UTF8.GetBytes(body)), token)).MsgId;
                return true;
            }
            catch (MQException)
            {
                return false;
            }
        }, Deadline, PollInterval, $"a send to {topic}", CancellationToken.None);
        return id!;
    }
}
