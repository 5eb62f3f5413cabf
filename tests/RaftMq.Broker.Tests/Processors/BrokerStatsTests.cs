using RaftMq.Broker.Processors;
using RaftMq.Broker.Tests.Processors.Fakes;

namespace RaftMq.Broker.Tests.Processors;

/// <summary>The daily totals behind msgPutTotalTodayMorning / YesterdayMorning: recorded at every local midnight.</summary>
public class BrokerStatsTests
{
    [Fact]
    public void Totals_are_recorded_at_each_local_midnight_as_today_and_yesterday_morning()
    {
        var clock = new Store.Fakes.ManualTimeProvider();
        using var stats = new BrokerStats(clock, new BrokerMetrics(new FakeMessageStore(), "RaftNode00"));
        stats.StartDailyRecord();
        stats.AddPut("T", 5, 50, 0);
        stats.AddPulled("T", "G", 2, 20);
        Assert.Equal(default, stats.Daily);

        clock.Advance(TimeSpan.FromHours(24)); // past the next local midnight, whatever the zone
        Assert.Equal(new DailyTotals(PutYesterdayMorning: 0, PutTodayMorning: 5, GetYesterdayMorning: 0, GetTodayMorning: 2), stats.Daily);

        stats.AddPut("T", 3, 30, 0);
        clock.Advance(TimeSpan.FromHours(24));
        Assert.Equal(new DailyTotals(PutYesterdayMorning: 5, PutTodayMorning: 8, GetYesterdayMorning: 2, GetTodayMorning: 2), stats.Daily);
        Assert.Equal(1, clock.PendingTimers);
    }
}
