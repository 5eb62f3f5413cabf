using FsCheck;
using FsCheck.Fluent;
using RaftMq.Broker.Store;
using RaftMq.Broker.Tests.Store.Fakes;

namespace RaftMq.Broker.Tests.Store;

public sealed class ReplicaPropertyTests
{
    private static readonly Config Cases = Config.QuickThrowOnFailure.WithMaxTest(40);
    private static readonly (string, int)[] Queues = [("t", 0), ("t", 1), ("u", 0)];
    private static readonly string[] Nodes = ["n0", "n1", "n2"];

    /// <summary>Random puts, leader changes, lagging followers, checkpoints and kill -9 restarts: once every replica has
    /// applied the whole log, all of them serve the same queues with the same offsets from the same ConsumeQueue bytes.</summary>
    [Fact]
    public void Any_schedule_of_puts_failovers_and_crashes_leaves_replicas_identical()
    {
        Check.One(Cases, Prop.ForAll<int[]>(operations =>
        {
            using var harness = new SyncHarness();
            var puts = new Dictionary<(string, int), long>();
            foreach (int operation in operations.Take(60)) harness.Run(Math.Abs(operation % 1000), puts);
            harness.Inner.Group.CatchUpAll();

            var expected = StoreAssertions.Observe(harness.Inner["n0"], Queues);
            var files = StoreAssertions.ConsumeQueueFiles(harness.Inner["n0"]);
            foreach (var queue in Queues) Assert.Equal(puts.GetValueOrDefault(queue), expected[queue].Max);
            foreach (string node in Nodes.Skip(1))
            {
                Assert.Equal(expected, StoreAssertions.Observe(harness.Inner[node], Queues));
                Assert.Equal(files, StoreAssertions.ConsumeQueueFiles(harness.Inner[node]));
            }
        }));
    }

    private sealed class SyncHarness : IDisposable
    {
        public StoreHarness Inner { get; } = new(Nodes);

        public void Run(int operation, Dictionary<(string, int), long> puts)
        {
            string node = Nodes[operation / 8 % Nodes.Length];
            switch (operation % 8)
            {
                case < 4:
                    var queue = Queues[operation / 8 % Queues.Length];
                    Inner.Group.CatchUp(Inner.Group.LeaderId!); // a leader answers writes once it applied its noop
                    var put = Inner.Leader.PutMessagesAsync(queue.Item1, queue.Item2,
                        [TestMessages.Encode(queue.Item1, queue.Item2, $"m{operation}", tags: $"tag{operation % 3}")]).AsTask().GetAwaiter().GetResult();
                    Assert.Equal(StoreStatus.Ok, put.Status);
                    Assert.Equal(puts.GetValueOrDefault(queue), put.QueueOffset);
                    puts[queue] = put.QueueOffset + 1;
                    break;
                case 4:
                    Inner.Group.ElectLeader(node, applyOnLeader: false);
                    break;
                case 5:
                    Inner.Group.CatchUp(node);
                    break;
                case 6:
                    Inner[node].StateMachine.WriteCheckpoint();
                    break;
                default:
                    Inner.Crash(node);
                    break;
            }
        }

        public void Dispose() => Inner.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
