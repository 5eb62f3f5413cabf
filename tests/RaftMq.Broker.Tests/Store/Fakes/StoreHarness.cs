using RaftMq.Broker.Store;

namespace RaftMq.Broker.Tests.Store.Fakes;

/// <summary>Temp directories, a fake group and one message store per node; tiny ConsumeQueue files (4 units).</summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    private readonly Dictionary<string, MessageStore> _stores = new(StringComparer.Ordinal);

    public StoreHarness(params string[] nodeIds)
    {
        if (nodeIds.Length == 0) nodeIds = ["n0"];
        Root = Path.Combine(Path.GetTempPath(), "raftmq-store-" + Guid.NewGuid().ToString("N"));
        Group = new FakeLogGroup(nodeIds);
        foreach (string id in nodeIds) Open(id);
        Group.ElectLeader(nodeIds[0]);
    }

    public string Root { get; }

    public FakeLogGroup Group { get; }

    public ManualTimeProvider Time { get; } = new();

    public ListLogger Logger { get; } = new();

    public int UnitsPerFile { get; init; } = 4;

    /// <summary>Key index geometry (small: files fill and collide in tests).</summary>
    public int HashSlots { get; init; } = 64;

    public int IndexEntriesPerFile { get; init; } = 1000;

    public MessageStore this[string id] => _stores[id];

    public MessageStore Leader => _stores[Group.LeaderId!];

    public IEnumerable<MessageStore> All => _stores.Values;

    public string StoreDirectory(string id) => Path.Combine(Root, id);

    public MessageStoreOptions OptionsFor(string id) => new()
    {
        StoreDirectory = StoreDirectory(id),
        ConsumeQueueFileUnits = UnitsPerFile,
        MaxHashSlotNum = HashSlots,
        MaxIndexNum = IndexEntriesPerFile,
    };

    /// <summary>Opens the node's store on its directory (recovering from whatever is there) and binds it to the log.</summary>
    public MessageStore Open(string id)
    {
        var machine = new MessageStateMachine(OptionsFor(id), Group[id], Logger, Time);
        var store = new MessageStore(machine, Group[id], Logger, Time);
        Group[id].Bind(machine);
        _stores[id] = store;
        return store;
    }

    /// <summary>kill -9: the store object is dropped without flushing or a final checkpoint, then reopened and caught up.</summary>
    public MessageStore Crash(string id)
    {
        _stores.Remove(id);
        var reopened = Open(id);
        Group.CatchUp(id);
        return reopened;
    }

    /// <summary>Orderly stop (final checkpoint), then reopen and catch up.</summary>
    public async Task<MessageStore> RestartAsync(string id)
    {
        await _stores[id].StopAsync();
        var reopened = Open(id);
        Group.CatchUp(id);
        return reopened;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores.Values) await store.StopAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A crashed store's handles may still be open until finalised; the temp dir is left behind.
        }
    }
}
