using Microsoft.Extensions.Logging;
using RaftMq.Broker.Store;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Broker.Acl;

/// <summary>
/// Plain ACL of one broker node. The rules in force are the ones the Raft log applied last (<see cref="IMessageStore.AclConfig"/>),
/// so every node of the group enforces the same rules and a failover keeps them. <c>plain_acl.yml</c> is the operator's
/// way in: while this node is the writable leader it looks at the file every <see cref="BrokerAclOptions.FileCheckInterval"/>
/// and proposes a changed, valid file as one ACL record (a bad file is refused, logged, and the rules stay); it also
/// writes rules changed through the admin codes back to its file. A node that becomes leader first writes the rules in
/// force to its file (a follower's file may be stale), except when the log holds no rules yet: then the file bootstraps them.
/// </summary>
public sealed class BrokerAcl : IAsyncDisposable
{
    private readonly IMessageStore _store;
    private readonly BrokerAclOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PlainAclFile _file;
    private readonly SemaphoreSlim _changeLock = new(1, 1);
    private readonly AclAuthorizer? _authorizer;
    private volatile CompiledRules _compiled = new(-1, null);
    private bool _wasLeader;
    private long _syncedVersion = -1;
    private CancellationTokenSource? _stopping;
    private Task _loop = Task.CompletedTask;

    public BrokerAcl(IMessageStore store, BrokerAclOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        _file = new PlainAclFile(options.FilePath);
        if (options.Enabled)
        {
            _authorizer = new AclAuthorizer(() => Rules, AclRequestResources.BrokerAdminCodes, refused: (connection, request, refusal) =>
                LogMessages.Refused(_logger, request.Code, connection.RemoteAddress, refusal.Reason.ToString(), refusal.Remark));
        }
    }

    public bool Enabled => _options.Enabled;

    /// <summary>The request check for the remoting server; null when ACL is off.</summary>
    public IRequestAuthorizer? Authorizer => _authorizer;

    /// <summary>The applied rules, compiled once per version; null before the log applied any.</summary>
    public PlainAclRules? Rules
    {
        get
        {
            var compiled = _compiled;
            long version = _store.AclVersion;
            if (compiled.Version == version) return compiled.Rules;
            var config = _store.AclConfig;
            var rules = config is null ? null : PlainAclRules.Compile(config);
            _compiled = new CompiledRules(version, rules);
            return rules;
        }
    }

    public void Start()
    {
        if (!_options.Enabled) return;
        _store.AclConfigChanged += OnRulesApplied;
        _stopping = new CancellationTokenSource();
        _loop = WatchAsync(_stopping.Token);
    }

    public async Task StopAsync()
    {
        if (_stopping is null) return;
        _store.AclConfigChanged -= OnRulesApplied;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        _stopping = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _authorizer?.Dispose();
    }

    /// <summary>
    /// Changes the rules through the log (leader only): <paramref name="change"/> gets the rules in force and returns the
    /// new ones (or throws <see cref="AclConfigException"/>). Changes are serialised, so two admin requests cannot lose
    /// each other's update. Returns the store status, or the reason the new rules are unusable.
    /// </summary>
    public async Task<(StoreStatus Status, string? Problem)> ChangeAsync(Func<PlainAclConfig, PlainAclConfig> change, CancellationToken cancellationToken)
    {
        await _changeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_store.IsWritable) return (StoreStatus.NotLeader, null);
            PlainAclConfig next;
            try
            {
                next = change(_store.AclConfig ?? new PlainAclConfig());
                PlainAclRules.Compile(next);
            }
            catch (AclConfigException ex)
            {
                return (StoreStatus.MessageIllegal, ex.Message);
            }
            return (await _store.ReplaceAclConfigAsync(next, cancellationToken).ConfigureAwait(false), null);
        }
        finally
        {
            _changeLock.Release();
        }
    }

    private void OnRulesApplied()
    {
        var config = _store.AclConfig;
        if (config is not null) LogMessages.RulesApplied(_logger, _store.AclVersion, config.Accounts.Count, config.GlobalWhiteRemoteAddresses.Count);
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _changeLock.WaitAsync(stopping).ConfigureAwait(false);
                try
                {
                    await CheckFileAsync(stopping).ConfigureAwait(false);
                }
                finally
                {
                    _changeLock.Release();
                }
                await Task.Delay(_options.FileCheckInterval, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogMessages.WatchFailed(_logger, ex);
                await Task.Delay(_options.FileCheckInterval, _time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One look at the file on the leader: sync the file to changed rules, else propose a changed file.</summary>
    private async Task CheckFileAsync(CancellationToken stopping)
    {
        if (!_store.IsWritable)
        {
            _wasLeader = false;
            return;
        }
        if (!_wasLeader)
        {
            _wasLeader = true;
            _syncedVersion = -1;
            _file.Forget();
        }
        var applied = _store.AclConfig;
        long version = _store.AclVersion;
        if (applied is not null && version != _syncedVersion)
        {
            if (_file.WriteIfDifferent(applied)) LogMessages.FileRewritten(_logger, version, _file.Path);
            _syncedVersion = version;
            return;
        }
        var read = _file.ReadIfChanged();
        if (read.Problem is not null) LogMessages.FileRefused(_logger, read.Problem);
        if (read.Config is null || read.Config.SameRulesAs(applied)) return;
        var status = await _store.ReplaceAclConfigAsync(read.Config, stopping).ConfigureAwait(false);
        LogMessages.FileProposed(_logger, _file.Path, read.Config.Accounts.Count, status.ToString());
        if (status == StoreStatus.Ok) _syncedVersion = _store.AclVersion;
        else _file.Forget(); // not in the log: look again next time
    }

    private sealed record CompiledRules(long Version, PlainAclRules? Rules);
}
