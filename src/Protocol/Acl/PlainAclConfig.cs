using System.Text.Json.Serialization;

namespace RaftMq.Protocol.Acl;

/// <summary>
/// One account of <c>plain_acl.yml</c> (RocketMQ's <c>PlainAccessConfig</c>; the JSON names are RocketMQ's too, so the
/// same shape is the body of GET_BROKER_CLUSTER_ACL_CONFIG). Permissions are kept as written ("topicA=PUB|SUB").
/// </summary>
public sealed record PlainAccessAccount
{
    [JsonPropertyName("accessKey")]
    public string AccessKey { get; init; } = "";

    [JsonPropertyName("secretKey")]
    public string SecretKey { get; init; } = "";

    /// <summary>Addresses that may use this account without signing (blank: none; "*": any).</summary>
    [JsonPropertyName("whiteRemoteAddress")]
    public string? WhiteRemoteAddress { get; init; }

    /// <summary>May send the admin request codes; with no topic or group permissions listed, may use every resource.</summary>
    [JsonPropertyName("admin")]
    public bool Admin { get; init; }

    /// <summary>Permission on topics not listed in <see cref="TopicPerms"/>; absent means DENY.</summary>
    [JsonPropertyName("defaultTopicPerm")]
    public string? DefaultTopicPerm { get; init; }

    /// <summary>Permission on groups not listed in <see cref="GroupPerms"/>; absent means DENY.</summary>
    [JsonPropertyName("defaultGroupPerm")]
    public string? DefaultGroupPerm { get; init; }

    [JsonPropertyName("topicPerms")]
    public IReadOnlyList<string> TopicPerms { get; init; } = [];

    [JsonPropertyName("groupPerms")]
    public IReadOnlyList<string> GroupPerms { get; init; } = [];
}

/// <summary>The content of <c>plain_acl.yml</c>: addresses trusted without signing, and the accounts.</summary>
public sealed record PlainAclConfig
{
    [JsonPropertyName("globalWhiteRemoteAddresses")]
    public IReadOnlyList<string> GlobalWhiteRemoteAddresses { get; init; } = [];

    [JsonPropertyName("accounts")]
    public IReadOnlyList<PlainAccessAccount> Accounts { get; init; } = [];

    /// <summary>Shortest access and secret key RocketMQ accepts (it refuses 6 characters or fewer).</summary>
    public const int MinKeyLength = 7;

    /// <summary>The canonical bytes of this configuration (used to tell a real change from a rewrite of the same rules).</summary>
    public byte[] ToJson() => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(this, AclJsonContext.Default.PlainAclConfig);

    public static PlainAclConfig? FromJson(ReadOnlySpan<byte> json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, AclJsonContext.Default.PlainAclConfig);

    public bool SameRulesAs(PlainAclConfig? other) => other is not null && ToJson().AsSpan().SequenceEqual(other.ToJson());

    /// <summary>Adds or updates an account as RocketMQ's updateAclConfig: given fields replace, absent ones stay.</summary>
    public PlainAclConfig WithAccount(PlainAccessAccount update, AccountFieldsGiven given)
    {
        var accounts = new List<PlainAccessAccount>(Accounts.Count + 1);
        bool found = false;
        foreach (var account in Accounts)
        {
            if (account.AccessKey != update.AccessKey)
            {
                accounts.Add(account);
                continue;
            }
            found = true;
            accounts.Add(account with
            {
                SecretKey = string.IsNullOrEmpty(update.SecretKey) ? account.SecretKey : update.SecretKey,
                WhiteRemoteAddress = given.HasFlag(AccountFieldsGiven.WhiteRemoteAddress) ? update.WhiteRemoteAddress : account.WhiteRemoteAddress,
                Admin = update.Admin,
                DefaultTopicPerm = string.IsNullOrEmpty(update.DefaultTopicPerm) ? account.DefaultTopicPerm : update.DefaultTopicPerm,
                DefaultGroupPerm = string.IsNullOrEmpty(update.DefaultGroupPerm) ? account.DefaultGroupPerm : update.DefaultGroupPerm,
                TopicPerms = given.HasFlag(AccountFieldsGiven.TopicPerms) ? update.TopicPerms : account.TopicPerms,
                GroupPerms = given.HasFlag(AccountFieldsGiven.GroupPerms) ? update.GroupPerms : account.GroupPerms,
            });
        }
        if (!found) accounts.Add(update);
        return this with { Accounts = accounts };
    }

    /// <summary>Without the account; null when there is no such account.</summary>
    public PlainAclConfig? WithoutAccount(string accessKey)
    {
        var accounts = Accounts.Where(a => a.AccessKey != accessKey).ToList();
        return accounts.Count == Accounts.Count ? null : this with { Accounts = accounts };
    }
}

/// <summary>Which optional list/address fields an update carried (an absent one keeps the stored value).</summary>
[Flags]
public enum AccountFieldsGiven
{
    None = 0,
    WhiteRemoteAddress = 1,
    TopicPerms = 2,
    GroupPerms = 4,
}

/// <summary>A <c>plain_acl.yml</c> that cannot be used; the message says where and why.</summary>
public sealed class AclConfigException(string message) : Exception(message);

/// <summary>GET_BROKER_CLUSTER_ACL_CONFIG (54) response body, RocketMQ's <c>GetBrokerClusterAclConfigResponseBody</c>.</summary>
public sealed record AclConfigBody(
    [property: JsonPropertyName("globalWhiteAddrs")] IReadOnlyList<string> GlobalWhiteAddrs,
    [property: JsonPropertyName("plainAccessConfigs")] IReadOnlyList<PlainAccessAccount> PlainAccessConfigs)
{
    public byte[] ToJson() => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(this, AclJsonContext.Default.AclConfigBody);

    public static AclConfigBody FromJson(ReadOnlySpan<byte> json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, AclJsonContext.Default.AclConfigBody)
        ?? throw new AclConfigException("empty ACL config body");
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PlainAclConfig))]
[JsonSerializable(typeof(AclConfigBody))]
public sealed partial class AclJsonContext : JsonSerializerContext;
