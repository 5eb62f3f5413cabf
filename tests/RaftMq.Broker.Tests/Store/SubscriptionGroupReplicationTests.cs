using RaftMq.Broker.Store;
using RaftMq.Broker.Tests.Store.Fakes;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Broker.Tests.Store;

/// <summary>Subscription group settings are state of the log like topics: the same on every replica, kept by checkpoints
/// and snapshots.</summary>
public sealed class SubscriptionGroupReplicationTests : IAsyncLifetime
{
    private static readonly SubscriptionGroupConfig Disabled = new() { GroupName = "CG", ConsumeEnable = false, RetryMaxTimes = 3, RetryQueueNums = 2 };

    private readonly StoreHarness _harness = new("n0", "n1", "n2");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Every_replica_applies_the_same_settings_and_a_delete()
    {
        Assert.Equal(StoreStatus.Ok, await _harness.Leader.UpsertSubscriptionGroupAsync(Disabled));
        Assert.Equal(StoreStatus.Ok, await _harness.Leader.UpsertSubscriptionGroupAsync(new SubscriptionGroupConfig { GroupName = "Other" }));
        Assert.Equal(StoreStatus.Ok, await _harness.Leader.DeleteSubscriptionGroupAsync("Other"));

        _harness.Group.CatchUpAll();

        Assert.All(_harness.All, store =>
        {
            Assert.Equal(Disabled, store.FindSubscriptionGroup("CG"));
            Assert.Null(store.FindSubscriptionGroup("Other"));
            Assert.Equal(_harness.Group.Entries.Count, store.SubscriptionGroupVersion);
        });
        Assert.Equal(StoreStatus.NotLeader, await _harness["n1"].UpsertSubscriptionGroupAsync(Disabled));
        Assert.Equal(StoreStatus.MessageIllegal, await _harness.Leader.UpsertSubscriptionGroupAsync(Disabled with { RetryQueueNums = 0 }));
    }

    [Fact]
    public async Task Settings_survive_a_checkpoint_restart_a_rederivation_and_a_snapshot()
    {
        await _harness.Leader.UpsertSubscriptionGroupAsync(Disabled);
        _harness.Leader.StateMachine.WriteCheckpoint();

        var restarted = _harness.Crash("n0");
        Assert.Equal(Disabled, restarted.FindSubscriptionGroup("CG"));

        restarted.StateMachine.Reset();
        Assert.Null(restarted.FindSubscriptionGroup("CG"));
        var rederived = _harness.Crash("n0");
        Assert.Equal(Disabled, rederived.FindSubscriptionGroup("CG"));

        _harness.Group.DiscardThrough(_harness.Group.Entries.Count, _harness.Leader.StateMachine.TakeSnapshot());
        _harness.Group.CatchUp("n2");
        Assert.Equal(Disabled, _harness["n2"].FindSubscriptionGroup("CG"));
    }
}
