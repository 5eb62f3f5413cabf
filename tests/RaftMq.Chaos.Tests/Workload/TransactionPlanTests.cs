using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Tests.Workload;

public sealed class TransactionPlanTests
{
    [Fact]
    public void A_payloads_plan_is_a_stable_function_of_its_id_and_every_plan_occurs()
    {
        var plans = Enumerable.Range(0, 1000).Select(n => TransactionPlans.For($"p0-{n}")).ToList();

        Assert.Equal(plans, Enumerable.Range(0, 1000).Select(n => TransactionPlans.For($"p0-{n}")));
        foreach (var plan in new[] { TransactionPlan.Commit, TransactionPlan.Rollback, TransactionPlan.CheckThenCommit, TransactionPlan.CheckThenRollback })
        {
            Assert.InRange(plans.Count(p => p == plan), 50, 600);
        }

        Assert.DoesNotContain(TransactionPlan.None, plans);
    }

    [Theory]
    [InlineData(TransactionPlan.None, null, true)]
    [InlineData(TransactionPlan.Commit, "commit", true)]
    [InlineData(TransactionPlan.CheckThenCommit, "check-commit", true)]
    [InlineData(TransactionPlan.Rollback, "rollback", false)]
    [InlineData(TransactionPlan.CheckThenRollback, "check-rollback", false)]
    public void Labels_round_trip_and_say_whether_consumers_must_see_the_payload(TransactionPlan plan, string? label, bool commits)
    {
        Assert.Equal(label, TransactionPlans.Label(plan));
        Assert.Equal(plan, TransactionPlans.Parse(label));
        Assert.Equal(commits, TransactionPlans.Commits(plan));
    }
}
