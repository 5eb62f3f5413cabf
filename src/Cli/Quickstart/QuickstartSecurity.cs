using System.Security.Cryptography;
using RaftMq.Cli.LocalCluster;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Tls;

namespace RaftMq.Cli.Quickstart;

/// <summary>
/// <c>raftmq quickstart --secure</c>: a copy of the conf folder with plain ACL and TLS (tlsMode=enforcing) on the
/// name server and every broker, mutual TLS on the Raft peer links, a fresh authority and node certificate, and two
/// accounts with fresh random secrets: an admin and an application user that may only publish and subscribe the
/// quickstart topic with the quickstart consumer groups.
/// </summary>
/// <param name="Directory">The secure conf folder (confs, plain_acl.yml, certificates).</param>
/// <param name="CaFile">The authority clients trust (<c>--tls-ca-file</c>).</param>
public sealed record QuickstartSecurity(string Directory, AclCredentials Admin, AclCredentials App, string CaFile)
{
    public const string AdminAccessKey = "quickstart-admin";
    public const string AppAccessKey = "quickstart-app";
    public const string FolderName = "secure";

    /// <summary>The consumer group of the printed <c>raftmq consume</c> command (the app user may subscribe with it).</summary>
    public const string CliConsumerGroup = "QuickstartCliConsumer";

    /// <summary>A topic the admin creates and the application account may not use (the permission refusal).</summary>
    public const string PrivateTopic = "QuickstartPrivate";

    /// <summary>Broker keys written by <see cref="Create"/>, RocketMQ spellings included, so a key already in the source conf is replaced, not repeated.</summary>
    private static readonly string[] ReplacedKeys =
    [
        "aclEnable", "accessKey", "secretKey", "tlsEnable", "tls.enable", "tlsMode", "tls.server.mode", "tls.server.certPath", "tls.server.keyPath",
        "tls.server.keyPassword", "tls.server.trustCertPath", "tls.client.trustCertPath", "tls.client.certPath", "tls.client.keyPath",
        "tls.peer.need.client.auth", "tls.server.need.client.auth",
    ];

    /// <summary>TLS towards the secure cluster: the generated authority, server names checked.</summary>
    public ClientTlsOptions ClientTls => new() { CaFile = CaFile };

    /// <summary>
    /// The folder <c>secure</c> beside the group's store folders (the quickstart's data folder; for conf/dledger
    /// <c>/tmp/raftmq/secure</c>), rewritten from scratch: confs of <paramref name="source"/> with the security keys,
    /// plain_acl.yml and fresh certificates and secrets.
    /// </summary>
    public static QuickstartSecurity Create(ClusterLayout source, string topic, string consumerGroup)
    {
        string directory = SecureFolderOf(source);
        if (System.IO.Directory.Exists(directory)) System.IO.Directory.Delete(directory, recursive: true);
        System.IO.Directory.CreateDirectory(directory);
        var security = new QuickstartSecurity(directory, new AclCredentials(AdminAccessKey, NewSecret()), new AclCredentials(AppAccessKey, NewSecret()),
            Path.Combine(directory, QuickstartCertificates.CaCertFile));
        QuickstartCertificates.WriteAll(directory, DateTimeOffset.UtcNow);
        security.WriteAclFile(topic, consumerGroup);
        CopyConf(source.NameServerConfPath, directory,
            ["aclEnable = true", "tlsEnable = true", "tlsMode = enforcing", $"tls.server.certPath = {QuickstartCertificates.NodeCertFile}",
             $"tls.server.keyPath = {QuickstartCertificates.NodeKeyFile}"]);
        foreach (var broker in source.Brokers)
        {
            CopyConf(broker.ConfPath, directory,
                ["aclEnable = true", $"accessKey = {security.Admin.AccessKey}", $"secretKey = {security.Admin.SecretKey}",
                 "tlsEnable = true", "tlsMode = enforcing",
                 $"tls.server.certPath = {QuickstartCertificates.NodeCertFile}", $"tls.server.keyPath = {QuickstartCertificates.NodeKeyFile}",
                 $"tls.server.trustCertPath = {QuickstartCertificates.CaCertFile}", $"tls.client.trustCertPath = {QuickstartCertificates.CaCertFile}",
                 "tls.peer.need.client.auth = require"]);
        }
        return security;
    }

    /// <summary><c>secure</c> next to the first node's store folder.</summary>
    public static string SecureFolderOf(ClusterLayout layout)
    {
        string store = Path.TrimEndingDirectorySeparator(Path.GetFullPath(layout.Brokers[0].StoreDirectories[0]));
        string? parent = Path.GetDirectoryName(store);
        if (parent is null || Path.GetPathRoot(parent) == parent)
        {
            throw new LocalClusterException(
                $"{layout.Brokers[0].ConfPath}: storePathRootDir={store} has no parent folder to hold the secure confs; use a store folder such as /tmp/raftmq/node00");
        }
        return Path.Combine(parent, FolderName);
    }

    private void WriteAclFile(string topic, string consumerGroup)
    {
        // The application account may publish and subscribe only the quickstart topic and consume with the quickstart groups (producer groups are not checked).
        string rules = $"""
            # plain ACL of `raftmq quickstart --secure` (fresh secrets on every run); format: docs/security.md
            globalWhiteRemoteAddresses:
            accounts:
              - accessKey: {Admin.AccessKey}
                secretKey: {Admin.SecretKey}
                admin: true
              - accessKey: {App.AccessKey}
                secretKey: {App.SecretKey}
                admin: false
                defaultTopicPerm: DENY
                defaultGroupPerm: DENY
                topicPerms:
                  - {topic}=PUB|SUB
                groupPerms:
                  - {consumerGroup}=SUB
                  - {CliConsumerGroup}=SUB

            """;
        string path = Path.Combine(Directory, "plain_acl.yml");
        File.WriteAllText(path, rules);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Copies a conf file into <paramref name="directory"/> without the keys the secure mode sets, then appends them.</summary>
    private static void CopyConf(string sourcePath, string directory, IReadOnlyList<string> securityLines)
    {
        var kept = File.ReadAllLines(sourcePath).Where(line => !SetsReplacedKey(line));
        var lines = kept.Append("").Append("# added by `raftmq quickstart --secure`: plain ACL, TLS enforcing, mutual TLS between Raft peers").Concat(securityLines);
        string path = Path.Combine(directory, Path.GetFileName(sourcePath));
        File.WriteAllLines(path, lines);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static bool SetsReplacedKey(string line)
    {
        string trimmed = line.TrimStart();
        if (trimmed.Length == 0 || trimmed[0] is '#' or '!') return false;
        int separator = trimmed.IndexOfAny(['=', ':']);
        string key = (separator < 0 ? trimmed : trimmed[..separator]).Trim();
        return ReplacedKeys.Contains(key, StringComparer.Ordinal);
    }

    private static string NewSecret() => RandomNumberGenerator.GetHexString(24, lowercase: true);
}
