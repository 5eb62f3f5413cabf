using RaftMq.Protocol.Acl;

namespace RaftMq.Broker.Store;

public sealed partial class MessageStateMachine
{
    private volatile PlainAclConfig? _aclConfig;
    private long _aclVersion;
    private bool _aclChangedPending;

    public PlainAclConfig? AclConfig => _aclConfig;

    public long AclVersion => Interlocked.Read(ref _aclVersion);

    public event Action? AclConfigChanged;

    /// <summary>Raised outside the apply lock, after the entry (or snapshot) that changed the rules.</summary>
    private void RaiseAclChangedIfPending()
    {
        if (!_aclChangedPending) return;
        _aclChangedPending = false;
        AclConfigChanged?.Invoke();
    }

    private void LoadAcl(PlainAclConfig? config, long version)
    {
        _aclConfig = config;
        Interlocked.Exchange(ref _aclVersion, config is null ? 0 : version);
        _aclChangedPending = true;
    }
}
