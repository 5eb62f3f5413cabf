using Microsoft.Extensions.Logging;
using RaftMq.Foundation.Configuration;
using RaftMq.NameServer.Configuration;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Remoting;

namespace RaftMq.NameServer.Acl;

/// <summary>
/// Plain ACL of a name server, on its write commands only (register/unregister broker, KV writes, topic deletion,
/// wipe write permission): those need an admin account or a white-listed address; route queries stay open, as in
/// RocketMQ. A name server has no log and shares nothing with the others, so each reads its own plain_acl.yml; a
/// changed file is taken within <see cref="NameServerOptions.AclFileCheckInterval"/>, a bad one refused (logged) while
/// the previous rules stay.
/// </summary>
internal sealed class NameServerAcl : IAsyncDisposable
{
    private readonly NameServerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly PlainAclFile _file;
    private volatile PlainAclRules? _rules;
    private CancellationTokenSource? _stopping;
    private Task _loop = Task.CompletedTask;

    public NameServerAcl(NameServerOptions options, ILogger logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _file = new PlainAclFile(options.AclFile);
        if (options.AclEnable)
        {
            Authorizer = new AclAuthorizer(() => _rules, AclRequestResources.NameServerWriteCodes, AclRequestResources.NameServerWriteCodes,
                (connection, request, refusal) => LogMessages.AclRefused(_logger, request.Code, connection.RemoteAddress, refusal.Reason.ToString(), refusal.Remark));
        }
    }

    public AclAuthorizer? Authorizer { get; }

    /// <summary>Loads the file (a bad one stops the start with its reason) and starts watching it.</summary>
    public void Start()
    {
        if (Authorizer is null) return;
        try
        {
            _rules = PlainAclRules.Compile(_file.Load());
        }
        catch (AclConfigException ex)
        {
            throw new ConfigException(NameServerKeys.AclFile, _options.AclFile, _options.Source, null, ex.Message, ex);
        }
        LogMessages.AclLoaded(_logger, _options.AclFile);
        _stopping = new CancellationTokenSource();
        _loop = WatchAsync(_stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping is not null)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
            _stopping.Dispose();
            _stopping = null;
        }
        Authorizer?.Dispose();
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.AclFileCheckInterval, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var read = _file.ReadIfChanged();
            if (read.Problem is not null) LogMessages.AclFileRefused(_logger, read.Problem);
            if (read.Config is null) continue;
            _rules = PlainAclRules.Compile(read.Config);
            LogMessages.AclLoaded(_logger, _options.AclFile);
        }
    }
}
