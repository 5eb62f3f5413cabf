using System.Text;

namespace RaftMq.Protocol.Acl;

/// <summary>
/// Reads and writes <c>plain_acl.yml</c> in RocketMQ's format (<c>globalWhiteRemoteAddresses</c>, <c>accounts</c> with
/// <c>accessKey</c>, <c>secretKey</c>, <c>whiteRemoteAddress</c>, <c>admin</c>, <c>defaultTopicPerm</c>,
/// <c>defaultGroupPerm</c>, <c>topicPerms</c>, <c>groupPerms</c>). RocketMQ's <c>dataVersion</c> is accepted and ignored:
/// RaftMq versions the rules by the Raft log index that applied them. Reading also validates (see <see cref="PlainAclRules"/>).
/// </summary>
public static class PlainAclYaml
{
    private static readonly HashSet<string> s_accountKeys =
    [
        "accessKey", "secretKey", "whiteRemoteAddress", "admin", "defaultTopicPerm", "defaultGroupPerm", "topicPerms", "groupPerms",
    ];

    /// <summary>Parses and validates; <see cref="AclConfigException"/> says what is wrong.</summary>
    public static PlainAclConfig Parse(string text)
    {
        var root = YamlSubset.Parse(text);
        if (root is null) return new PlainAclConfig();
        if (root is not Dictionary<string, object?> map) throw new AclConfigException("the file must be a mapping with globalWhiteRemoteAddresses and accounts");
        foreach (string key in map.Keys)
        {
            if (key is not ("globalWhiteRemoteAddresses" or "accounts" or "dataVersion"))
            {
                throw new AclConfigException($"unknown key '{key}' (expected globalWhiteRemoteAddresses, accounts)");
            }
        }
        var config = new PlainAclConfig
        {
            GlobalWhiteRemoteAddresses = Strings(map.GetValueOrDefault("globalWhiteRemoteAddresses"), "globalWhiteRemoteAddresses"),
            Accounts = Accounts(map.GetValueOrDefault("accounts")),
        };
        PlainAclRules.Compile(config); // throws with the reason when an account or address is unusable
        return config;
    }

    public static PlainAclConfig Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>The configuration as plain_acl.yml text (RocketMQ's layout; readable by RocketMQ too).</summary>
    public static string Write(PlainAclConfig config)
    {
        var text = new StringBuilder();
        text.Append("# Written by RaftMq from the rules in the replicated log; edit it on the leader or use raftmq admin.\n");
        text.Append("globalWhiteRemoteAddresses:");
        AppendList(text, config.GlobalWhiteRemoteAddresses, "  ");
        text.Append("\naccounts:");
        if (config.Accounts.Count == 0) text.Append(" []");
        text.Append('\n');
        foreach (var account in config.Accounts)
        {
            text.Append("  - accessKey: ").Append(Quote(account.AccessKey)).Append('\n');
            text.Append("    secretKey: ").Append(Quote(account.SecretKey)).Append('\n');
            text.Append("    whiteRemoteAddress:");
            if (!string.IsNullOrEmpty(account.WhiteRemoteAddress)) text.Append(' ').Append(Quote(account.WhiteRemoteAddress));
            text.Append('\n');
            text.Append("    admin: ").Append(account.Admin ? "true" : "false").Append('\n');
            if (account.DefaultTopicPerm is not null) text.Append("    defaultTopicPerm: ").Append(Quote(account.DefaultTopicPerm)).Append('\n');
            if (account.DefaultGroupPerm is not null) text.Append("    defaultGroupPerm: ").Append(Quote(account.DefaultGroupPerm)).Append('\n');
            text.Append("    topicPerms:");
            AppendList(text, account.TopicPerms, "      ");
            text.Append("\n    groupPerms:");
            AppendList(text, account.GroupPerms, "      ");
            text.Append('\n');
        }
        return text.ToString();
    }

    private static void AppendList(StringBuilder text, IReadOnlyList<string> items, string indent)
    {
        if (items.Count == 0)
        {
            text.Append(" []");
            return;
        }
        foreach (string item in items) text.Append('\n').Append(indent).Append("- ").Append(Quote(item));
    }

    /// <summary>Quotes a value that would not read back as the same plain scalar.</summary>
    private static string Quote(string value)
    {
        bool plain = value.Length > 0 && value.Trim() == value && value is not ("~" or "null" or "Null" or "NULL" or "true" or "false")
            && !value.Contains(": ", StringComparison.Ordinal) && !value.Contains(" #", StringComparison.Ordinal) && !value.EndsWith(':')
            && "'\"[]{}&*|>!%@`#-,".IndexOf(value[0]) < 0;
        return plain ? value : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static List<PlainAccessAccount> Accounts(object? node)
    {
        var accounts = new List<PlainAccessAccount>();
        if (node is null) return accounts;
        if (node is not List<object?> items) throw new AclConfigException("accounts must be a list of accounts ('- accessKey: ...')");
        int position = 0;
        foreach (var item in items)
        {
            position++;
            if (item is not Dictionary<string, object?> fields) throw new AclConfigException($"account #{position} is not a mapping of accessKey, secretKey, ...");
            string where = fields.GetValueOrDefault("accessKey") is string key ? $"account '{key}'" : $"account #{position}";
            foreach (string name in fields.Keys)
            {
                if (!s_accountKeys.Contains(name)) throw new AclConfigException($"{where}: unknown key '{name}'");
            }
            accounts.Add(new PlainAccessAccount
            {
                AccessKey = Text(fields, "accessKey", where) ?? "",
                SecretKey = Text(fields, "secretKey", where) ?? "",
                WhiteRemoteAddress = Text(fields, "whiteRemoteAddress", where),
                Admin = Boolean(Text(fields, "admin", where), where),
                DefaultTopicPerm = Text(fields, "defaultTopicPerm", where),
                DefaultGroupPerm = Text(fields, "defaultGroupPerm", where),
                TopicPerms = Strings(fields.GetValueOrDefault("topicPerms"), $"{where}: topicPerms"),
                GroupPerms = Strings(fields.GetValueOrDefault("groupPerms"), $"{where}: groupPerms"),
            });
        }
        return accounts;
    }

    private static string? Text(Dictionary<string, object?> fields, string name, string where) => fields.GetValueOrDefault(name) switch
    {
        null => null,
        string value => value,
        _ => throw new AclConfigException($"{where}: {name} must be a single value"),
    };

    private static bool Boolean(string? text, string where) => text?.ToLowerInvariant() switch
    {
        null or "false" => false,
        "true" => true,
        _ => throw new AclConfigException($"{where}: admin must be true or false, not '{text}'"),
    };

    private static List<string> Strings(object? node, string where)
    {
        var values = new List<string>();
        if (node is null) return values;
        if (node is not List<object?> items) throw new AclConfigException($"{where} must be a list ('- value' lines or [a, b])");
        foreach (var item in items)
        {
            if (item is string value) values.Add(value);
            else if (item is not null) throw new AclConfigException($"{where}: every entry must be a single value");
        }
        return values;
    }
}
