namespace RaftMq.Broker.Acl;

/// <summary>Plain ACL of a broker: <c>aclEnable</c> and the <c>plain_acl.yml</c> the leader proposes to the group.</summary>
/// <param name="Enabled">broker.conf <c>aclEnable</c>.</param>
/// <param name="FilePath">broker.conf <c>aclFile</c>; default <c>plain_acl.yml</c> beside the broker.conf.</param>
/// <param name="FileCheckInterval">How often the leader looks at the file for changes.</param>
public sealed record BrokerAclOptions(bool Enabled, string FilePath, TimeSpan FileCheckInterval)
{
    public static readonly TimeSpan DefaultFileCheckInterval = TimeSpan.FromSeconds(1);

    public static BrokerAclOptions Disabled { get; } = new(false, "plain_acl.yml", DefaultFileCheckInterval);
}
