using RaftMq.Integration.Tests.EndToEnd;
using RaftMq.Protocol.Acl;
using RaftMq.Protocol.Tls;
using RaftMq.Tests.Tls;

namespace RaftMq.Integration.Tests.Security;

/// <summary>
/// A name server and a 3-node group with plain ACL and TLS on. ACL: aclEnable on the brokers and the name server,
/// one plain_acl.yml beside the confs as in conf/dledger; the brokers sign their registrations with the admin account.
/// TLS: certificates made by the fixture (one authority, one node certificate for 127.0.0.1); every port is
/// permissive (TLS for the .NET client and the CLI, plaintext for ali-ons, which has no TLS), the brokers talk TLS to
/// the name server and to each other, and the Raft peer links are mutual TLS.
/// </summary>
public sealed class SecureCluster : E2ECluster
{
    public const string Topic = "AclTopic";
    public const string DeniedTopic = "AclDenied";
    public const string Group = "AclGroup";

    public static readonly AclCredentials AdminKeys = new("rocketmq-admin", "admin-secret-1");
    public static readonly AclCredentials Producer = new("producer01", "producer-secret");
    public static readonly AclCredentials Consumer = new("consumer01", "consumer-secret");

    public static readonly string Rules = $"""
        # plain ACL of the security tests
        globalWhiteRemoteAddresses:
        accounts:
          - accessKey: {AdminKeys.AccessKey}
            secretKey: {AdminKeys.SecretKey}
            admin: true
          - accessKey: {Producer.AccessKey}
            secretKey: {Producer.SecretKey}
            defaultTopicPerm: DENY
            defaultGroupPerm: DENY
            topicPerms:
              - {Topic}=PUB
              - {DeniedTopic}=DENY
          - accessKey: {Consumer.AccessKey}
            secretKey: {Consumer.SecretKey}
            defaultTopicPerm: SUB
            defaultGroupPerm: DENY
            groupPerms:
              - {Group}=SUB
        """;

    public override AclCredentials? AdminCredentials => AdminKeys;

    public string AclFile => System.IO.Path.Combine(Layout.ConfDirectory, "plain_acl.yml");

    /// <summary>The authority that signed the cluster's certificate (PEM).</summary>
    public string CaFile => System.IO.Path.Combine(Layout.ConfDirectory, "ca.crt");

    public override ClientTlsOptions? ClientTls => new() { CaFile = CaFile };

    /// <summary>Relative paths: resolved beside the conf files.</summary>
    private static readonly string ServerTlsKeys = "tlsMode=permissive\ntls.server.certPath=node.crt\ntls.server.keyPath=node.key\n";

    protected override IReadOnlyDictionary<string, string> ExtraBrokerKeys => new Dictionary<string, string>
    {
        ["aclEnable"] = "true",
        ["accessKey"] = AdminKeys.AccessKey,
        ["secretKey"] = AdminKeys.SecretKey,
        ["tlsEnable"] = "true",
        ["tlsMode"] = "permissive",
        ["tls.server.certPath"] = "node.crt",
        ["tls.server.keyPath"] = "node.key",
        ["tls.server.trustCertPath"] = "ca.crt",
        ["tls.client.trustCertPath"] = "ca.crt",
        ["tls.peer.need.client.auth"] = "require",
    };

    protected override void PrepareConf(string confDirectory)
    {
        File.WriteAllText(System.IO.Path.Combine(confDirectory, "plain_acl.yml"), Rules);
        File.AppendAllText(System.IO.Path.Combine(confDirectory, "namesrv.conf"), "aclEnable=true\n" + ServerTlsKeys);
        var authority = TestCertificates.CreateAuthority("raftmq e2e CA");
        TestCertificates.WritePem(authority, confDirectory, "ca");
        File.Delete(System.IO.Path.Combine(confDirectory, "ca.key"));
        TestCertificates.WritePem(TestCertificates.Issue(authority, "raftmq e2e node"), confDirectory, "node");
    }
}

[CollectionDefinition(Name)]
public sealed class SecureClusterCollection : ICollectionFixture<SecureCluster>
{
    public const string Name = "raftmq secure cluster";
}
