using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using RaftMq.Client;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Bodies;
using static Microsoft.Playwright.Assertions;

namespace RaftMq.Dashboard.Tests;

/// <summary>What an operator does in the console against a live 3-node group: create a topic, watch traffic and lag, find a
/// message by key, reset an offset, and see failover and leadership transfer on the cluster page.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ScenarioTests(DashboardFixture fixture)
{
    private const string Topic = "DashTopic";
    private const string Group = "DashGroup";
    private static readonly PageWaitForFunctionOptions Wait = new() { Timeout = 60_000, PollingInterval = 250 };

    [Fact]
    public async Task Topic_created_in_the_ui_gets_traffic_on_the_chart_lag_on_the_consumer_page_a_key_query_and_an_offset_reset()
    {
        var page = await fixture.NewPageAsync();
        await CreateTopicInTheUiAsync(page);

        await using var producer = new MQProducer(new ProducerOptions { NameServerAddresses = [fixture.Cluster.NameServer], InstanceName = "dash-test-producer" });
        await producer.StartAsync();
        int consumed = 0;
        var consumer = new PushConsumer(new PushConsumerOptions
        {
            NameServerAddresses = [fixture.Cluster.NameServer], InstanceName = "dash-test-consumer", ConsumerGroup = Group,
            ConsumeFromWhere = ConsumeFromWhere.ConsumeFromFirstOffset, PersistOffsetInterval = TimeSpan.FromSeconds(1),
            RebalanceInterval = TimeSpan.FromSeconds(1),
        });
        consumer.Subscribe(Topic);
        await consumer.StartAsync((messages, _, _) =>
        {
            Interlocked.Add(ref consumed, messages.Count);
            return ValueTask.FromResult(ConsumeResult.Success);
        });

        // Traffic until the cockpit's live chart and rate table show this topic moving.
        await page.GotoAsync("/");
        int sent = 0;
        using (var traffic = new CancellationTokenSource())
        {
            var sending = Task.Run(async () =>
            {
                while (!traffic.IsCancellationRequested)
                {
                    await producer.SendAsync(new Message(Topic, Encoding.UTF8.GetBytes($"message {sent}"), "TagA", $"dash-key-{sent}"));
                    sent++;
                    await Task.Delay(20);
                }
            });
            await page.WaitForFunctionAsync($"() => {{ const row = [...document.querySelectorAll('#rates tbody tr')].find(r => r.cells[1].textContent === '{Topic}');" +
                " return row && parseFloat(row.cells[2].textContent) > 0; }", null, Wait);
            await page.WaitForFunctionAsync("() => parseFloat(document.querySelector('#chart-topic-put')?.getAttribute('data-latest-total') || '0') > 0", null, Wait);
            // The group consumes as it goes: the topic's consume rate (row and chart) moves too.
            await page.WaitForFunctionAsync($"() => {{ const row = [...document.querySelectorAll('#rates tbody tr')].find(r => r.cells[1].textContent === '{Topic}');" +
                " return row && parseFloat(row.cells[3].textContent) > 0; }", null, Wait);
            await page.WaitForFunctionAsync("() => parseFloat(document.querySelector('#chart-topic-get')?.getAttribute('data-latest-total') || '0') > 0", null, Wait);
            await Task.Delay(1500);
            await fixture.ScreenshotAsync(page, "cockpit");
            await traffic.CancelAsync();
            await sending;
        }

        // The group catches up, stops; new messages become lag on the consumers page (live fragment, no reload).
        await WaitUntilAsync(() => Volatile.Read(ref consumed) >= sent, "the consumer to receive every message");
        await Task.Delay(2500); // two offset persist rounds
        await consumer.DisposeAsync();
        for (int i = 0; i < 25; i++) await producer.SendAsync(new Message(Topic, Encoding.UTF8.GetBytes($"late {i}"), "TagB", $"late-key-{i}"));
        await page.GotoAsync("/consumers");
        await page.WaitForFunctionAsync($"() => parseInt((document.querySelector('.lag[data-group=\"{Group}\"]')?.textContent || '0').replace(/,/g, ''), 10) >= 25", null, Wait);
        await fixture.ScreenshotAsync(page, "consumers");

        await QueryByKeyInTheUiAsync(page);
        await SendJsonAndViewItPrettyAsync(page);
        await ResetOffsetInTheUiAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Killing_the_leader_shows_the_new_leader_on_the_cluster_page_without_a_reload()
    {
        await fixture.Cluster.WaitForLeaderAsync(excluding: null);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/cluster");
        await WaitForAllNodesAsync(page);
        string before = await LeaderOnPageAsync(page);
        await fixture.ScreenshotAsync(page, "cluster");

        long killedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var killed = await fixture.Cluster.KillLeaderAsync();
        Assert.Equal(killed.SelfId, before);
        await page.WaitForFunctionAsync($"() => {{ const row = document.querySelector('#nodes tbody tr:has(.badge-leader)'); return row && row.cells[2].textContent !== '{before}'; }}", null, Wait);
        string after = await LeaderOnPageAsync(page);
        Assert.NotEqual(before, after);
        await Expect(page.Locator("#nodes tbody tr:has(.badge-leader) td").Nth(10)).ToContainTextAsync($"→ {after}");
        // Each surviving node reports when it saw the new leader (by its own clock): after the kill.
        await page.WaitForFunctionAsync($"() => [...document.querySelectorAll('#nodes tbody tr:not(:has(.badge-down)) .leader-change')]" +
            $".length >= 2 && [...document.querySelectorAll('#nodes tbody tr:not(:has(.badge-down)) .leader-change')].every(s => parseInt(s.dataset.ms, 10) >= {killedAtMs})", null, Wait);
        // The killed node left the name server but is still a member: it stays on the page as down.
        await page.WaitForFunctionAsync($"() => [...document.querySelectorAll('#nodes tbody tr:has(.badge-down)')].some(r => r.cells[2].textContent === '{killed.SelfId}')", null, Wait);
        await fixture.ScreenshotAsync(page, "cluster-after-failover");

        await fixture.Cluster.RestartAsync(killed);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Leadership_moves_to_the_node_chosen_after_confirmation()
    {
        await fixture.Cluster.WaitForLeaderAsync(excluding: null);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/cluster");
        await WaitForAllNodesAsync(page);
        var follower = page.Locator("#nodes tbody tr:has(.badge-follower)").First;
        string target = (await follower.Locator("td").Nth(2).TextContentAsync())!;
        await follower.Locator("a", new() { HasText = "make leader" }).ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("Transfer leadership");
        await Expect(page.Locator(".confirm")).ToContainTextAsync($"to node {target}");
        await fixture.ScreenshotAsync(page, "cluster-transfer-confirm");
        await page.Locator("#transfer-form button[type=submit]").ClickAsync();

        await Expect(page.Locator(".notice-ok")).ToContainTextAsync($"Leadership transfer of {fixture.Cluster.Layout.BrokerName} to {target} started");
        await page.WaitForFunctionAsync($"() => document.querySelector('#nodes tbody tr:has(.badge-leader)')?.cells[2].textContent === '{target}'", null, Wait);
        await page.Context.CloseAsync();
    }

    private async Task CreateTopicInTheUiAsync(IPage page)
    {
        await page.GotoAsync("/topics");
        var form = page.Locator("#create-topic");
        await form.Locator("input[name=topic]").FillAsync(Topic);
        await form.Locator("input[name=readQueues]").FillAsync("4");
        await form.Locator("input[name=writeQueues]").FillAsync("4");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Topic {Topic}");
        await Expect(page.Locator(".notice-ok")).ToContainTextAsync($"Topic {Topic} created");
        await Expect(page.Locator("#route-queues")).ToContainTextAsync(fixture.Cluster.Layout.BrokerName);
        await page.GotoAsync("/topics?kind=normal");
        await Expect(page.Locator("#topics")).ToContainTextAsync(Topic);
        await fixture.ScreenshotAsync(page, "topics");
    }

    private async Task QueryByKeyInTheUiAsync(IPage page)
    {
        await page.GotoAsync("/messages?mode=key");
        await page.Locator("#message-query input[name=topic]").FillAsync(Topic);
        await page.Locator("#message-query input[name=key]").FillAsync("dash-key-7");
        await page.Locator("#message-query button[type=submit]").ClickAsync();
        var row = page.Locator("#messages tbody tr", new() { HasText = "dash-key-7" });
        await Expect(row).ToHaveCountAsync(1);
        await fixture.ScreenshotAsync(page, "messages");

        await row.Locator("a").First.ClickAsync();
        await Expect(page.Locator("#message-body")).ToHaveTextAsync("message 7");
        await Expect(page.Locator("#message-properties")).ToContainTextAsync("dash-key-7");
        await page.Locator(".tabs a", new() { HasText = "hex" }).ClickAsync();
        await Expect(page.Locator("#message-body")).ToContainTextAsync("6d 65 73 73 61 67 65 20 37");
    }

    private async Task SendJsonAndViewItPrettyAsync(IPage page)
    {
        await page.GotoAsync($"/topic?name={Topic}");
        await page.Locator("#send-message input[name=key]").FillAsync("json-key");
        await page.Locator("#send-message textarea[name=body]").FillAsync("{\"order\":42,\"items\":[\"a\",\"b\"]}");
        await page.Locator("#send-message button[type=submit]").ClickAsync();
        await Expect(page.Locator(".notice-ok")).ToContainTextAsync("Sent: SendOk");

        await page.GotoAsync($"/messages?mode=key&go=1&topic={Topic}&key=json-key");
        await page.Locator("#messages tbody tr a").First.ClickAsync();
        await page.Locator(".tabs a", new() { HasText = "json" }).ClickAsync();
        await Expect(page.Locator("#message-body")).ToContainTextAsync("\"order\": 42");
        await fixture.ScreenshotAsync(page, "message");
    }

    private async Task ResetOffsetInTheUiAsync(IPage page)
    {
        await page.GotoAsync($"/topic?name={Topic}");
        await Expect(page.Locator("#topic-consumers")).ToContainTextAsync(Group);
        await page.Locator("#reset-offset select[name=group]").SelectOptionAsync(Group);
        await page.Locator("#reset-offset input[name=time]").FillAsync(DateTimeOffset.UtcNow.AddHours(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.Locator("#reset-offset button[type=submit]").ClickAsync();
        await Expect(page.Locator(".notice-ok")).ToContainTextAsync($"Offsets of {Group} reset on 4 queues");
        await fixture.ScreenshotAsync(page, "topic");

        var progress = await fixture.Cluster.Admin.GetConsumeStatsAsync(Group, Topic);
        Assert.All(progress, q => Assert.Equal(0, q.ConsumerOffset));
        long total = progress.Sum(q => q.BrokerOffset);
        Assert.True(total > 25, $"the topic holds {total} messages");
        await page.GotoAsync($"/consumer?group={Group}");
        await Expect(page.Locator("#group-progress")).ToContainTextAsync(Topic);
        long shownLag = long.Parse((await page.Locator("#group-total-lag").TextContentAsync())!, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.True(shownLag >= total, $"the page shows lag {shownLag}, the topic holds {total}");
        await fixture.ScreenshotAsync(page, "consumer-group");
    }

    private static Task WaitForAllNodesAsync(IPage page) =>
        page.WaitForFunctionAsync("() => document.querySelectorAll('#nodes tbody tr').length === 3 && !document.querySelector('#nodes .badge-down') && document.querySelector('#nodes .badge-leader')", null, Wait);

    private static async Task<string> LeaderOnPageAsync(IPage page) =>
        (await page.Locator("#nodes tbody tr:has(.badge-leader) td").Nth(2).TextContentAsync())!;

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 60 s for {what}");
            await Task.Delay(100);
        }
    }
}
