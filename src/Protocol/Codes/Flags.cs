namespace RaftMq.Protocol.Codes;

/// <summary>Bits of the PULL_MESSAGE request header <c>sysFlag</c>.</summary>
public static class PullSysFlag
{
    /// <summary>Store the header's commitOffset for the group on this pull.</summary>
    public const int CommitOffset = 0x1;

    /// <summary>The broker may park the request (long polling) when no message is available.</summary>
    public const int Suspend = 0x2;

    /// <summary>Use the header's subscription instead of the one from the heartbeat.</summary>
    public const int Subscription = 0x4;

    public const int ClassFilter = 0x8;
    public const int LitePull = 0x10;

    public static int Build(bool commitOffset, bool suspend, bool subscription, bool classFilter, bool litePull = false) =>
        (commitOffset ? CommitOffset : 0) | (suspend ? Suspend : 0) | (subscription ? Subscription : 0) |
        (classFilter ? ClassFilter : 0) | (litePull ? LitePull : 0);

    public static bool HasCommitOffset(int flag) => (flag & CommitOffset) != 0;

    public static bool HasSuspend(int flag) => (flag & Suspend) != 0;

    public static bool HasSubscription(int flag) => (flag & Subscription) != 0;

    public static bool HasClassFilter(int flag) => (flag & ClassFilter) != 0;

    public static bool HasLitePull(int flag) => (flag & LitePull) != 0;

    public static int ClearCommitOffset(int flag) => flag & ~CommitOffset;
}

/// <summary>Bits of a message's SYSFLAG (send header <c>f</c>, stored layout field).</summary>
public static class MessageSysFlag
{
    public const int Compressed = 0x1;
    public const int MultiTags = 0x2;

    /// <summary>Transaction type occupies bits 2-3.</summary>
    public const int TransactionNotType = 0x0;
    public const int TransactionPreparedType = 0x4;
    public const int TransactionCommitType = 0x8;
    public const int TransactionRollbackType = 0xC;
    public const int TransactionTypeMask = 0xC;

    public const int BornHostV6 = 0x10;
    public const int StoreHostV6 = 0x20;
    public const int NeedUnwrap = 0x40;
    public const int InnerBatch = 0x80;

    /// <summary>Bits 8-10 select the compression codec since 4.9.4; 0 from older clients means zlib.</summary>
    public const int CompressionTypeMask = 0x700;
    public const int CompressionLz4 = 0x100;
    public const int CompressionZstd = 0x200;
    public const int CompressionZlib = 0x300;

    public static int GetTransactionValue(int flag) => flag & TransactionTypeMask;

    public static int ResetTransactionValue(int flag, int type) => (flag & ~TransactionTypeMask) | type;

    public static bool IsCompressed(int flag) => (flag & Compressed) != 0;
}

/// <summary>Topic permission bits (<c>PermName</c>); a normal topic has READ|WRITE = 6.</summary>
public static class PermName
{
    public const int Priority = 0x8;
    public const int Read = 0x4;
    public const int Write = 0x2;
    public const int Inherit = 0x1;
    public const int ReadWrite = Read | Write;

    public static bool IsReadable(int perm) => (perm & Read) == Read;

    public static bool IsWriteable(int perm) => (perm & Write) == Write;

    public static bool IsInherited(int perm) => (perm & Inherit) == Inherit;

    /// <summary>Java's textual form, e.g. "RW-" for 6.</summary>
    public static string ToText(int perm) =>
        (IsReadable(perm) ? "R" : "-") + (IsWriteable(perm) ? "W" : "-") + (IsInherited(perm) ? "X" : "-");
}

/// <summary>Topic system flag bits.</summary>
public static class TopicSysFlag
{
    public const int Unit = 0x1;
    public const int UnitSub = 0x2;
}

/// <summary>Values of END_TRANSACTION <c>commitOrRollback</c> (the transaction-type bits of <see cref="MessageSysFlag"/>).</summary>
public static class TransactionCommitOrRollback
{
    public const int NotType = MessageSysFlag.TransactionNotType;
    public const int Commit = MessageSysFlag.TransactionCommitType;
    public const int Rollback = MessageSysFlag.TransactionRollbackType;

    public static bool IsValid(int value) => value is NotType or Commit or Rollback;
}

/// <summary><c>MQVersion.Version</c> ordinals that matter on the wire (header <c>version</c>).</summary>
public static class MQVersion
{
    /// <summary>3.4.9, what ali-ons sends; send-back honours maxReconsumeTimes from this version on.</summary>
    public const int V3_4_9 = 121;

    /// <summary>4.9.4: from here on a name server answers route data in standard JSON.</summary>
    public const int V4_9_4 = 401;

    /// <summary>4.9.8, the version RaftMq announces.</summary>
    public const int V4_9_8 = 409;

    public const int Current = V4_9_8;

    /// <summary>4.0.0-SNAPSHOT: from here to 5.9.9 every x.y.z has a SNAPSHOT ordinal followed by its release ordinal.</summary>
    private const int V4_0_0_Snapshot = 212;

    /// <summary>One past 5.9.9, Java's HIGHER_VERSION.</summary>
    private const int HigherVersion = V4_0_0_Snapshot + (2 * 200);

    /// <summary>The name Java's <c>MQVersion.getVersionDesc</c> gives an ordinal (e.g. 409 → "V4_9_8"); ordinals older than
    /// 4.0.0 other than 3.4.9 are shown as their number.</summary>
    public static string Describe(int version)
    {
        if (version == V3_4_9) return "V3_4_9";
        if (version >= HigherVersion) return "HIGHER_VERSION";
        if (version < V4_0_0_Snapshot) return version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        int step = (version - V4_0_0_Snapshot) / 2;
        string name = $"V{4 + (step / 100)}_{step / 10 % 10}_{step % 10}";
        return (version - V4_0_0_Snapshot) % 2 == 0 ? name + "_SNAPSHOT" : name;
    }
}
