using RaftMq.Protocol.Acl;

namespace RaftMq.Protocol.Tests.Acl;

public class PlainAclYamlTests
{
    /// <summary>RocketMQ's distribution sample layout: items indented under their key, comments, an empty value.</summary>
    internal const string DistributionSample = """
        globalWhiteRemoteAddresses:
          - 10.10.103.*
          - 192.168.0.*

        accounts:
          - accessKey: RocketMQ
            secretKey: 12345678
            whiteRemoteAddress:
            admin: false
            defaultTopicPerm: DENY
            defaultGroupPerm: SUB
            topicPerms:
              - topicA=DENY
              - topicB=PUB|SUB
              - topicC=SUB
            groupPerms:
              # the group should convert to retry topic
              - groupA=DENY
              - groupB=PUB|SUB
              - groupC=SUB

          - accessKey: rocketmq2
            secretKey: 12345678
            whiteRemoteAddress: 192.168.1.*
            # if it is admin, it could access all resources
            admin: true
        """;

    [Fact]
    public void Reads_the_rocketmq_distribution_sample()
    {
        var config = PlainAclYaml.Parse(DistributionSample);

        Assert.Equal(["10.10.103.*", "192.168.0.*"], config.GlobalWhiteRemoteAddresses);
        Assert.Equal(2, config.Accounts.Count);
        var first = config.Accounts[0];
        Assert.Equal(("RocketMQ", "12345678", null, false, "DENY", "SUB"),
            (first.AccessKey, first.SecretKey, first.WhiteRemoteAddress, first.Admin, first.DefaultTopicPerm, first.DefaultGroupPerm));
        Assert.Equal(["topicA=DENY", "topicB=PUB|SUB", "topicC=SUB"], first.TopicPerms);
        Assert.Equal(["groupA=DENY", "groupB=PUB|SUB", "groupC=SUB"], first.GroupPerms);
        Assert.True(config.Accounts[1].Admin);
        Assert.Equal("192.168.1.*", config.Accounts[1].WhiteRemoteAddress);
    }

    [Fact]
    public void Reads_items_at_the_indentation_of_their_key_and_ignores_data_version()
    {
        var config = PlainAclYaml.Parse("""
            globalWhiteRemoteAddresses: []
            accounts:
            - accessKey: 'producer01'
              secretKey: "secret # not a comment"
              topicPerms:
              - TopicTest=PUB
            dataVersion:
            - counter: 3
              timestamp: 1700000000000
            """);

        Assert.Empty(config.GlobalWhiteRemoteAddresses);
        Assert.Equal("secret # not a comment", config.Accounts[0].SecretKey);
        Assert.Equal(["TopicTest=PUB"], config.Accounts[0].TopicPerms);
    }

    [Fact]
    public void Written_rules_read_back_as_the_same_rules()
    {
        var config = PlainAclYaml.Parse(DistributionSample);
        var odd = config.WithAccount(new PlainAccessAccount
        {
            AccessKey = "odd: key #1", SecretKey = "'quoted' secret", WhiteRemoteAddress = "*", DefaultTopicPerm = "PUB|SUB",
            TopicPerms = ["-dash=PUB", "[x]=SUB"],
        }, AccountFieldsGiven.None);

        var reread = PlainAclYaml.Parse(PlainAclYaml.Write(odd));

        Assert.True(odd.SameRulesAs(reread), PlainAclYaml.Write(odd));
    }

    [Theory]
    [InlineData("accounts:\n  - accessKey: short\n    secretKey: 12345678\n", "at least 7 characters")]
    [InlineData("accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n    topicPerms:\n      - topicA=WRITE\n", "topicA=WRITE")]
    [InlineData("accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n    topicPerm:\n      - topicA=SUB\n", "unknown key 'topicPerm'")]
    [InlineData("accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n  - accessKey: RocketMQ\n    secretKey: 87654321\n", "appears twice")]
    [InlineData("globalWhiteRemoteAddresses:\n  - 10.10.300.*\n", "10.10.300.*")]
    [InlineData("accounts:\n\t- accessKey: RocketMQ\n", "line 2: tabs")]
    [InlineData("accounts:\n  - accessKey: RocketMQ\n    secretKey: 12345678\n    admin: maybe\n", "admin must be true or false")]
    [InlineData("accounts: &anchor\n", "anchors")]
    public void Unusable_files_are_refused_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<AclConfigException>(() => PlainAclYaml.Parse(text));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
