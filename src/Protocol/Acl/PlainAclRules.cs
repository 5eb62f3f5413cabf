using System.Net;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Acl;

/// <summary>Why a request was refused; each has its own remark and its own metric tag.</summary>
public enum AclRefusalReason
{
    /// <summary>No AccessKey, and the address is not in globalWhiteRemoteAddresses.</summary>
    NotWhitelisted,

    /// <summary>An AccessKey without a Signature.</summary>
    Unsigned,
    UnknownKey,
    BadSignature,
    NotAdmin,
    NoPermission,

    /// <summary>The resources of the request cannot be read (malformed heartbeat body).</summary>
    Malformed,

    /// <summary>ACL is on but this node has no rules yet (a broker whose log has not replicated them).</summary>
    NoRules,
}

/// <summary>A refusal: its reason and the remark sent back (RocketMQ's AclException texts, with RaftMq's detail).</summary>
public readonly record struct AclRefusal(AclRefusalReason Reason, string Remark);

/// <summary>
/// A validated <see cref="PlainAclConfig"/> ready to check requests, with RocketMQ 4.9's PlainPermissionManager.validate
/// order: an address in globalWhiteRemoteAddresses passes unsigned; otherwise the AccessKey must name an account; an
/// address matching the account's whiteRemoteAddress passes without signature or permission check; otherwise the
/// signature must match, admin codes need <c>admin: true</c>, and every resource the request touches needs its
/// permission (listed, else the account's default; an admin with no listed permissions may use everything).
/// Immutable and thread-safe.
/// </summary>
public sealed class PlainAclRules
{
    private const string TraceTopic = "RMQ_SYS_TRACE_TOPIC";

    private readonly RemoteAddressPattern[] _globalWhite;
    private readonly Dictionary<string, Account> _accounts;

    private PlainAclRules(RemoteAddressPattern[] globalWhite, Dictionary<string, Account> accounts)
    {
        _globalWhite = globalWhite;
        _accounts = accounts;
    }

    /// <summary>Checks every entry; <see cref="AclConfigException"/> names the first unusable one.</summary>
    public static PlainAclRules Compile(PlainAclConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var globalWhite = config.GlobalWhiteRemoteAddresses.Select(RemoteAddressPattern.Parse).ToArray();
        var accounts = new Dictionary<string, Account>(StringComparer.Ordinal);
        foreach (var account in config.Accounts)
        {
            if (account.AccessKey.Length < PlainAclConfig.MinKeyLength || account.SecretKey.Length < PlainAclConfig.MinKeyLength)
            {
                throw new AclConfigException(
                    $"account '{account.AccessKey}': accessKey and secretKey must both be given, each at least {PlainAclConfig.MinKeyLength} characters");
            }
            if (accounts.ContainsKey(account.AccessKey)) throw new AclConfigException($"account '{account.AccessKey}' appears twice");
            accounts[account.AccessKey] = Account.Compile(account);
        }
        return new PlainAclRules(globalWhite, accounts);
    }

    /// <summary>Null when the request may proceed; otherwise why not.</summary>
    public AclRefusal? Check(RemotingCommand request, IPAddress remote, IReadOnlySet<int> adminCodes)
    {
        foreach (var pattern in _globalWhite)
        {
            if (pattern.Matches(remote)) return null;
        }
        var fields = request.ExtFields;
        string? accessKey = fields[AclSignature.AccessKeyField];
        if (string.IsNullOrEmpty(accessKey))
        {
            return new AclRefusal(AclRefusalReason.NotWhitelisted,
                $"No accessKey is configured: {remote} is not in globalWhiteRemoteAddresses, so requests must be signed (AccessKey, Signature)");
        }
        if (!_accounts.TryGetValue(accessKey, out var account)) return new AclRefusal(AclRefusalReason.UnknownKey, $"No acl config for {accessKey}");
        if (account.White.Matches(remote)) return null;
        string? signature = fields[AclSignature.SignatureField];
        if (string.IsNullOrEmpty(signature))
        {
            return new AclRefusal(AclRefusalReason.Unsigned, $"Check signature failed for accessKey={accessKey}: the request carries no Signature");
        }
        if (!AclSignature.Verify(request, account.Config.SecretKey, signature))
        {
            return new AclRefusal(AclRefusalReason.BadSignature,
                $"Check signature failed for accessKey={accessKey}: the Signature does not match this account's secretKey");
        }
        if (adminCodes.Contains(request.Code) && !account.Config.Admin)
        {
            return new AclRefusal(AclRefusalReason.NotAdmin, $"Need admin permission for request code={request.Code}, but accessKey={accessKey} is not");
        }
        return CheckResources(request, account);
    }

    private static AclRefusal? CheckResources(RemotingCommand request, Account account)
    {
        Dictionary<string, AclPermission> needed;
        try
        {
            needed = AclRequestResources.Needed(request);
        }
        catch (BodyFormatException ex)
        {
            return new AclRefusal(AclRefusalReason.Malformed, $"Cannot tell which resources request code {request.Code} uses: {ex.Message}");
        }
        if (needed.Count == 0 || (account.Config.Admin && account.Listed.Count == 0)) return null;
        if (needed.Count == 1 && needed.TryGetValue(TraceTopic, out var trace) && trace == AclPermission.Pub) return null;
        foreach (var (resource, permission) in needed)
        {
            bool isGroup = AclRequestResources.IsRetryTopic(resource);
            bool listed = account.Listed.TryGetValue(resource, out var owned);
            if (!listed) owned = isGroup ? account.DefaultGroup : account.DefaultTopic;
            if (!AclPermissions.Grants(owned, permission))
            {
                string kind = listed ? "permission" : "default permission";
                return new AclRefusal(AclRefusalReason.NoPermission,
                    $"No {kind} for {AclRequestResources.Describe(resource)}: accessKey={account.Config.AccessKey} needs {permission.ToString().ToUpperInvariant()}");
            }
        }
        return null;
    }

    private sealed record Account(
        PlainAccessAccount Config, RemoteAddressPattern White, AclPermission DefaultTopic, AclPermission DefaultGroup,
        Dictionary<string, AclPermission> Listed)
    {
        public static Account Compile(PlainAccessAccount config)
        {
            string where = $"account '{config.AccessKey}'";
            var listed = new Dictionary<string, AclPermission>(StringComparer.Ordinal);
            foreach (string entry in config.TopicPerms) AddListed(listed, entry, isGroup: false, where);
            foreach (string entry in config.GroupPerms) AddListed(listed, entry, isGroup: true, where);
            RemoteAddressPattern white;
            try
            {
                white = RemoteAddressPattern.Parse(config.WhiteRemoteAddress);
            }
            catch (AclConfigException ex)
            {
                throw new AclConfigException($"{where}: whiteRemoteAddress {ex.Message}");
            }
            return new Account(config, white, DefaultPermission(config.DefaultTopicPerm, "defaultTopicPerm", where),
                DefaultPermission(config.DefaultGroupPerm, "defaultGroupPerm", where), listed);
        }

        private static AclPermission DefaultPermission(string? text, string key, string where) =>
            text is null ? AclPermission.Deny
                : AclPermissions.TryParse(text) ?? throw new AclConfigException($"{where}: {key} '{text}' is not PUB, SUB, PUB|SUB or DENY");

        private static void AddListed(Dictionary<string, AclPermission> listed, string entry, bool isGroup, string where)
        {
            string[] parts = entry.Split('=');
            string kind = isGroup ? "groupPerms" : "topicPerms";
            if (parts.Length != 2 || parts[0].Trim().Length == 0)
            {
                throw new AclConfigException($"{where}: {kind} entry '{entry}' is not 'name=PUB|SUB|DENY' (for example topicA=SUB)");
            }
            var permission = AclPermissions.TryParse(parts[1])
                ?? throw new AclConfigException($"{where}: {kind} entry '{entry}' has permission '{parts[1].Trim()}', expected PUB, SUB, PUB|SUB or DENY");
            string name = parts[0].Trim();
            listed[isGroup ? Messages.SystemNames.RetryGroupTopicPrefix + name : name] = permission;
        }
    }
}
