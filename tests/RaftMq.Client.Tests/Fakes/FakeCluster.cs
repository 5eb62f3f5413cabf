using RaftMq.Client.Admin;
using RaftMq.Client.Consumer;
using RaftMq.Client.Producer;
using RaftMq.Protocol.Bodies;

namespace RaftMq.Client.Tests.Fakes;

/// <summary>A fake name server plus broker groups, and client options pointing at them with test-friendly intervals.</summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static int s_instance;
    private readonly List<IAsyncDisposable> _owned = [];

    public FakeCluster(params string[] brokerNames)
    {
        NameServer = new FakeNameServer();
        foreach (string name in brokerNames) Brokers.Add(new FakeBroker(NameServer, name));
        OffsetDirectory = Path.Combine(Path.GetTempPath(), "raftmq-client-tests", Guid.NewGuid().ToString("N"));
    }

    public FakeNameServer NameServer { get; }

    public List<FakeBroker> Brokers { get; } = [];

    public FakeBroker this[int index] => Brokers[index];

    public string OffsetDirectory { get; }

    /// <summary>A unique instance name, so every client in a test is its own client instance.</summary>
    public static string NewInstanceName() => "test" + Interlocked.Increment(ref s_instance);

    public ProducerOptions ProducerOptions(string group = "PG") => new()
    {
        NameServerAddresses = [NameServer.Address],
        InstanceName = NewInstanceName(),
        ClientIp = "127.0.0.1",
        ProducerGroup = group,
        RetryBackoff = TimeSpan.FromMilliseconds(10),
    };

    public PushConsumerOptions ConsumerOptions(string group, MessageModel model = MessageModel.Clustering) => new()
    {
        NameServerAddresses = [NameServer.Address],
        InstanceName = NewInstanceName(),
        ClientIp = "127.0.0.1",
        ConsumerGroup = group,
        MessageModel = model,
        RebalanceInterval = TimeSpan.FromMilliseconds(500),
        PersistOffsetInterval = TimeSpan.FromMilliseconds(500),
        LongPollingSuspend = TimeSpan.FromSeconds(1),
        PullTimeout = TimeSpan.FromSeconds(10),
        OffsetStoreDirectory = OffsetDirectory,
        LockRenewInterval = TimeSpan.FromSeconds(1),
        LockLease = TimeSpan.FromSeconds(10),
        SuspendCurrentQueueTime = TimeSpan.FromMilliseconds(50),
    };

    public PullConsumerOptions PullConsumerOptions(string group) => new()
    {
        NameServerAddresses = [NameServer.Address],
        InstanceName = NewInstanceName(),
        ClientIp = "127.0.0.1",
        ConsumerGroup = group,
        LongPollingSuspend = TimeSpan.FromSeconds(5),
        PullTimeout = TimeSpan.FromSeconds(15),
    };

    public AdminOptions AdminOptions() => new()
    {
        NameServerAddresses = [NameServer.Address],
        InstanceName = NewInstanceName(),
        ClientIp = "127.0.0.1",
    };

    public async Task<MQProducer> StartProducerAsync(ProducerOptions? options = null)
    {
        var producer = new MQProducer(options ?? ProducerOptions());
        await producer.StartAsync();
        _owned.Add(producer);
        return producer;
    }

    /// <summary>Registers a client to be disposed with the cluster (before the servers).</summary>
    public T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
        foreach (var broker in Brokers) await broker.DisposeAsync();
        await NameServer.DisposeAsync();
        if (Directory.Exists(OffsetDirectory)) Directory.Delete(OffsetDirectory, recursive: true);
    }
}
