using System.Diagnostics.Metrics;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Protocol.Acl;

/// <summary>
/// Plain ACL as a remoting <see cref="IRequestAuthorizer"/>. The rules come from a delegate (a broker reads the rules its
/// Raft log applied, a name server its own file), so a rule change takes effect on the next request. Refusals are
/// answered SYSTEM_ERROR (1) with the refusal's remark, as RocketMQ 4.9 answers an AclException, and counted on the
/// meter "RaftMq.Acl" (<c>raftmq.acl.refused</c>, tagged <c>reason</c>); allowed requests on <c>raftmq.acl.allowed</c>.
/// </summary>
public sealed class AclAuthorizer : IRequestAuthorizer, IDisposable
{
    public const string MeterName = "RaftMq.Acl";

    private readonly Func<PlainAclRules?> _rules;
    private readonly IReadOnlySet<int> _adminCodes;
    private readonly IReadOnlySet<int>? _onlyCodes;
    private readonly Action<RemotingConnection, RemotingCommand, AclRefusal>? _refused;
    private readonly Meter _meter;
    private readonly Counter<long> _refusedCounter;
    private readonly Counter<long> _allowedCounter;

    /// <param name="rules">The rules in force; null means none are known yet (everything checked is refused).</param>
    /// <param name="adminCodes">Codes that need an admin account.</param>
    /// <param name="onlyCodes">When given, only these codes are checked (a name server's write commands).</param>
    /// <param name="refused">Told about each refusal (for logging); must not block.</param>
    public AclAuthorizer(Func<PlainAclRules?> rules, IReadOnlySet<int> adminCodes, IReadOnlySet<int>? onlyCodes = null,
        Action<RemotingConnection, RemotingCommand, AclRefusal>? refused = null)
    {
        _rules = rules;
        _adminCodes = adminCodes;
        _onlyCodes = onlyCodes;
        _refused = refused;
        _meter = new Meter(MeterName);
        _refusedCounter = _meter.CreateCounter<long>("raftmq.acl.refused", "{request}", "Requests refused by access control, by reason");
        _allowedCounter = _meter.CreateCounter<long>("raftmq.acl.allowed", "{request}", "Requests that passed access control");
    }

    public RequestRefusal? Authorize(RemotingConnection connection, RemotingCommand request)
    {
        if (_onlyCodes is not null && !_onlyCodes.Contains(request.Code)) return null;
        var refusal = Check(connection, request);
        if (refusal is null)
        {
            _allowedCounter.Add(1);
            return null;
        }
        _refusedCounter.Add(1, new KeyValuePair<string, object?>("reason", refusal.Value.Reason.ToString()));
        _refused?.Invoke(connection, request, refusal.Value);
        return new RequestRefusal(ResponseCode.SystemError, refusal.Value.Remark);
    }

    private AclRefusal? Check(RemotingConnection connection, RemotingCommand request)
    {
        var rules = _rules();
        if (rules is null)
        {
            return new AclRefusal(AclRefusalReason.NoRules,
                "ACL is enabled but this node has no rules yet (plain_acl.yml not loaded or not yet replicated); retry shortly");
        }
        try
        {
            return rules.Check(request, connection.RemoteEndPoint.Address, _adminCodes);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or KeyNotFoundException)
        {
            return new AclRefusal(AclRefusalReason.Malformed, $"Cannot check request code {request.Code}: {ex.Message}");
        }
    }

    public void Dispose() => _meter.Dispose();
}
