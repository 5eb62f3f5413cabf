using FsCheck;
using FsCheck.Fluent;
using RaftMq.Chaos.Checking;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Tests.Support;

namespace RaftMq.Chaos.Tests.Checking;

public sealed class CheckerPropertyTests
{
    private static readonly CheckOptions Drained = new() { FullDrain = true, MaxExamples = int.MaxValue };

    private static readonly Gen<ModelStep> StepGen =
        from key in Gen.Choose(0, 3)
        from kind in Gen.Frequency(
            (6, Gen.Constant(ModelSendKind.Ok)),
            (1, Gen.Constant(ModelSendKind.Fail)),
            (1, Gen.Constant(ModelSendKind.InfoStored)),
            (1, Gen.Constant(ModelSendKind.InfoNotStored)),
            (1, Gen.Constant(ModelSendKind.InfoStoredThenRetryOk)))
        from rewind in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new ModelStep(key, kind, rewind);

    /// <summary>Scripts that start with an ok send, so there is always an acked payload to remove.</summary>
    private static readonly Arbitrary<ModelStep[]> Scripts =
        Gen.ArrayOf(StepGen)
            .Select(steps => (ModelStep[])[new ModelStep(0, ModelSendKind.Ok, false), .. steps])
            .ToArbitrary();

    [Fact]
    public void Histories_of_a_correct_model_queue_are_always_valid()
    {
        Prop.ForAll(Scripts, steps =>
        {
            var result = Checker.Check(ModelQueueHistory.Build(steps), Drained);
            return result.IsValid && result.Count(AnomalyKind.DuplicateUnexplained) == 0;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Removing_every_read_of_one_acked_message_is_reported_as_lost_or_unseen()
    {
        var cases =
            from steps in Scripts.Generator
            from pick in Gen.Choose(0, 1_000_000)
            select (steps, pick);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var ops = ModelQueueHistory.Build(c.steps);
            var acked = ops.OfType<SendOp>().Where(s => s.Outcome == SendOutcome.Acknowledged).Select(s => s.PayloadId).Distinct().ToList();
            var victim = acked[c.pick % acked.Count];
            var damaged = ops.Where(op => op is not ReceiveOp r || r.PayloadId != victim).ToList();

            var result = Checker.Check(damaged, Drained);

            var reported = result.Group(AnomalyKind.Lost).Examples.Concat(result.Group(AnomalyKind.Unseen).Examples);
            return !result.IsValid && reported.Any(a => a.Subject == victim);
        }).QuickCheckThrowOnFailure();
    }
}
