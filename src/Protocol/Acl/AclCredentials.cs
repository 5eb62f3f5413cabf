namespace RaftMq.Protocol.Acl;

/// <summary>
/// What a client signs its requests with (RocketMQ's <c>SessionCredentials</c>): an access key and its secret, plus an
/// optional security token that is sent and signed but not checked by plain ACL.
/// </summary>
public sealed record AclCredentials(string AccessKey, string SecretKey, string? SecurityToken = null)
{
    /// <summary>Environment variable read by the <c>raftmq</c> client verbs when <c>--access-key</c> is not given.</summary>
    public const string AccessKeyVariable = "RAFTMQ_ACCESS_KEY";

    /// <summary>Environment variable read by the <c>raftmq</c> client verbs when <c>--secret-key</c> is not given.</summary>
    public const string SecretKeyVariable = "RAFTMQ_SECRET_KEY";

    /// <summary>Credentials from explicit values, else the environment; null when neither gives both keys.</summary>
    public static AclCredentials? Resolve(string? accessKey, string? secretKey)
    {
        accessKey ??= Environment.GetEnvironmentVariable(AccessKeyVariable);
        secretKey ??= Environment.GetEnvironmentVariable(SecretKeyVariable);
        if (string.IsNullOrEmpty(accessKey) && string.IsNullOrEmpty(secretKey)) return null;
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
        {
            throw new ArgumentException(
                $"Give both an access key and a secret key (--access-key/--secret-key or {AccessKeyVariable}/{SecretKeyVariable}), or neither.");
        }
        return new AclCredentials(accessKey, secretKey);
    }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"AclCredentials({AccessKey})";
}
