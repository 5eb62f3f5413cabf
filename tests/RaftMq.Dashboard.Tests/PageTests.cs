using System.Net;
using Microsoft.Playwright;
using RaftMq.Protocol.Remoting;
using static Microsoft.Playwright.Assertions;

namespace RaftMq.Dashboard.Tests;

/// <summary>Every page renders in a real browser; bad input is answered next to the field; a dead cluster reads "not reachable".</summary>
[Collection(DashboardCollection.Name)]
public sealed class PageTests(DashboardFixture fixture)
{
    public static readonly TheoryData<string, string, string> Pages = new()
    {
        { "/", "Cockpit", "page-cockpit" },
        { "/cluster", "Cluster", "page-cluster" },
        { "/topics", "Topics", "page-topics" },
        { "/consumers", "Consumers", "page-consumers" },
        { "/producers", "Producers", "page-producers" },
        { "/messages", "Messages", "page-messages" },
        { "/namesrv", "Name servers", "page-namesrv" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_renders_with_its_title_and_navigation(string path, string title, string screenshot)
    {
        var page = await fixture.NewPageAsync();
        var response = await page.GotoAsync(path);

        Assert.Equal((int)HttpStatusCode.OK, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(page.Locator("header nav a.active")).ToHaveTextAsync(title);
        await Expect(page.Locator("body")).Not.ToContainTextAsync("Not reachable");
        await fixture.ScreenshotAsync(page, screenshot);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Name_server_page_says_the_configured_name_server_answers()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/namesrv");

        var row = page.Locator("#name-servers tbody tr", new() { HasText = fixture.Cluster.NameServer });
        await Expect(row).ToContainTextAsync("reachable");
        await Expect(row.Locator(".badge-ok")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Bad_topic_input_gets_a_message_next_to_each_field()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/topics");
        var form = page.Locator("#create-topic");
        await form.Locator("input[name=topic]").FillAsync("bad topic!");
        await form.Locator("input[name=readQueues]").FillAsync("-3");
        await form.Locator("input[name=writeQueues]").FillAsync("0");
        await form.Locator("button[type=submit]").ClickAsync();

        await Expect(page.Locator(".field-error[data-field=topic]")).ToContainTextAsync("may contain only letters, digits");
        await Expect(page.Locator(".field-error[data-field=readQueues]")).ToContainTextAsync("between 1 and 1024");
        await Expect(page.Locator(".field-error[data-field=writeQueues]")).ToContainTextAsync("between 1 and 1024");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Topics");
        await fixture.ScreenshotAsync(page, "topics-bad-input");

        await page.Locator("#create-topic input[name=topic]").FillAsync("");
        await page.Locator("#create-topic button[type=submit]").ClickAsync();
        await Expect(page.Locator(".field-error[data-field=topic]")).ToHaveTextAsync("enter a topic name");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_time_range_that_ends_before_it_starts_is_refused_next_to_the_end_field()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/messages?mode=time");
        await page.Locator("#message-query input[name=topic]").FillAsync("AnyTopic");
        await page.Locator("#message-query input[name=begin]").FillAsync("2026-01-02T10:00");
        await page.Locator("#message-query input[name=end]").FillAsync("2026-01-01T10:00");
        await page.Locator("#message-query button[type=submit]").ClickAsync();

        await Expect(page.Locator(".field-error[data-field=end]")).ToHaveTextAsync("the end must be after the beginning");
        await Expect(page.Locator("#messages")).ToHaveCountAsync(0);

        await page.GotoAsync("/messages?mode=id&go=1&topic=AnyTopic&id=not-an-id");
        await Expect(page.Locator(".field-error[data-field=id]")).ToContainTextAsync("hexadecimal");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_cluster_that_is_down_reads_not_reachable_on_every_page()
    {
        int deadPort = LoopbackPorts.Allocate(1)[0];
        await using var dashboard = new DashboardServer(new DashboardOptions { NameServerAddresses = [$"127.0.0.1:{deadPort}"], Port = 0 });
        await dashboard.StartAsync();
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = dashboard.Address });
        var page = await context.NewPageAsync();

        foreach (string path in new[] { "/", "/cluster", "/topics", "/consumers", "/messages?mode=key&go=1&topic=T&key=k", "/topic?name=T", "/consumer?group=G" })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator(".not-reachable").First).ToBeVisibleAsync();
            await Expect(page.Locator("body")).Not.ToContainTextAsync("Exception");
            await Expect(page.Locator("body")).Not.ToContainTextAsync("Something went wrong");
        }
        await fixture.ScreenshotAsync(page, "cluster-down");
        await page.GotoAsync("/namesrv");
        await Expect(page.Locator("#name-servers .badge-down")).ToHaveTextAsync("not reachable");
        await context.CloseAsync();
    }
}
