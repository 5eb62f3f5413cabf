using RaftMq.Broker.Store;
using RaftMq.Protocol.Acl;

namespace RaftMq.Broker.Tests.Processors.Fakes;

internal sealed partial class FakeMessageStore
{
    private long _aclVersion;

    public PlainAclConfig? AclConfig { get; private set; }

    public long AclVersion => Interlocked.Read(ref _aclVersion);

    public event Action? AclConfigChanged;

    /// <summary>Applies at once, as a committed record would, with the next "index" as version.</summary>
    public ValueTask<StoreStatus> ReplaceAclConfigAsync(PlainAclConfig config, CancellationToken cancellationToken = default)
    {
        if (ForcedStatus is { } forced) return ValueTask.FromResult(forced);
        if (!IsWritable) return ValueTask.FromResult(StoreStatus.NotLeader);
        AclConfig = config;
        Interlocked.Increment(ref _aclVersion);
        AclConfigChanged?.Invoke();
        return ValueTask.FromResult(StoreStatus.Ok);
    }
}
