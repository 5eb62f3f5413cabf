namespace RaftMq.Protocol.Acl;

/// <summary>Permission bits of plain ACL (RocketMQ's <c>Permission</c>): DENY wins over everything.</summary>
[Flags]
public enum AclPermission : byte
{
    None = 0,
    Deny = 1,

    /// <summary>Needed: either PUB or SUB will do.</summary>
    Any = 1 << 1,
    Pub = 1 << 2,
    Sub = 1 << 3,
}

public static class AclPermissions
{
    /// <summary>RocketMQ's checkPermission: DENY owned refuses; ANY needed takes PUB or SUB; else any common bit.</summary>
    public static bool Grants(AclPermission owned, AclPermission needed)
    {
        if ((owned & AclPermission.Deny) != 0) return false;
        if ((needed & AclPermission.Any) != 0) return (owned & (AclPermission.Pub | AclPermission.Sub)) != 0;
        return (needed & owned) != 0;
    }

    /// <summary>"PUB", "SUB", "PUB|SUB", "SUB|PUB" or "DENY"; null when the text is none of them.</summary>
    public static AclPermission? TryParse(string? text) => text?.Trim() switch
    {
        "PUB" => AclPermission.Pub,
        "SUB" => AclPermission.Sub,
        "PUB|SUB" or "SUB|PUB" => AclPermission.Pub | AclPermission.Sub,
        "DENY" => AclPermission.Deny,
        _ => null,
    };

    /// <summary>A missing default permission means DENY, as in RocketMQ.</summary>
    public static AclPermission ParseDefault(string? text) => TryParse(text) ?? AclPermission.Deny;
}
