using RaftMq.Integration.Tests.EndToEnd;
using RaftMq.Protocol.Acl;

namespace RaftMq.Integration.Tests.Security;

/// <summary>
/// A name server and a 3-node group with plain ACL on (aclEnable on the brokers and the name server, one
/// plain_acl.yml beside the confs as in conf/dledger). The brokers sign their registrations with the admin account.
/// </summary>
public sealed class AclCluster : E2ECluster
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

    protected override IReadOnlyDictionary<string, string> ExtraBrokerKeys => new Dictionary<string, string>
    {
        ["aclEnable"] = "true",
        ["accessKey"] = AdminKeys.AccessKey,
        ["secretKey"] = AdminKeys.SecretKey,
    };

    protected override void PrepareConf(string confDirectory)
    {
        File.WriteAllText(System.IO.Path.Combine(confDirectory, "plain_acl.yml"), Rules);
        File.AppendAllText(System.IO.Path.Combine(confDirectory, "namesrv.conf"), "aclEnable=true\n");
    }
}

[CollectionDefinition(Name)]
public sealed class AclClusterCollection : ICollectionFixture<AclCluster>
{
    public const string Name = "raftmq acl cluster";
}
