using RaftMq.Broker.Store;
using RaftMq.Broker.Tests.Store.Fakes;
using RaftMq.Protocol.Acl;

namespace RaftMq.Broker.Tests.Store;

/// <summary>The plain-ACL rules are state of the log like topics: the same on every replica, kept by checkpoints and snapshots.</summary>
public sealed class AclReplicationTests : IAsyncLifetime
{
    private static readonly PlainAclConfig First = PlainAclYaml.Parse("accounts:\n  - accessKey: producer01\n    secretKey: producer-secret\n");
    private static readonly PlainAclConfig Second = First.WithAccount(
        new PlainAccessAccount { AccessKey = "consumer01", SecretKey = "consumer-secret", DefaultTopicPerm = "SUB" }, AccountFieldsGiven.None);

    private readonly StoreHarness _harness = new("n0", "n1", "n2");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _harness.DisposeAsync().AsTask();

    [Fact]
    public async Task Every_replica_applies_the_same_rules_at_the_same_version()
    {
        int changes = 0;
        _harness["n1"].AclConfigChanged += () => Interlocked.Increment(ref changes);
        Assert.Equal(StoreStatus.Ok, await _harness.Leader.ReplaceAclConfigAsync(First));
        Assert.Equal(StoreStatus.Ok, await _harness.Leader.ReplaceAclConfigAsync(Second));

        _harness.Group.CatchUpAll();

        Assert.All(_harness.All, store =>
        {
            Assert.True(Second.SameRulesAs(store.AclConfig));
            Assert.Equal(_harness.Group.Entries.Count, store.AclVersion);
        });
        Assert.Equal(2, changes);
        Assert.Equal(StoreStatus.NotLeader, await _harness["n1"].ReplaceAclConfigAsync(First));
    }

    [Fact]
    public async Task Rules_survive_a_checkpoint_restart_a_rederivation_and_a_snapshot()
    {
        await _harness.Leader.ReplaceAclConfigAsync(First);
        _harness.Leader.StateMachine.WriteCheckpoint();
        long version = _harness.Leader.AclVersion;

        var restarted = _harness.Crash("n0");
        Assert.True(First.SameRulesAs(restarted.AclConfig));
        Assert.Equal(version, restarted.AclVersion);

        restarted.StateMachine.Reset();
        Assert.Null(restarted.AclConfig);
        var rederived = _harness.Crash("n0");
        Assert.True(First.SameRulesAs(rederived.AclConfig));

        _harness.Group.DiscardThrough(_harness.Group.Entries.Count, _harness.Leader.StateMachine.TakeSnapshot());
        _harness.Group.CatchUp("n2");
        Assert.True(First.SameRulesAs(_harness["n2"].AclConfig));
        Assert.Equal(version, _harness["n2"].AclVersion);
    }
}
