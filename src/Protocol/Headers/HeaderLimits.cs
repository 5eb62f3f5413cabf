namespace RaftMq.Protocol.Headers;

/// <summary>
/// Bounds on what one remoting header may carry, checked while parsing so a hostile frame is refused before it
/// costs more than reading its bytes. RocketMQ's own headers use a few dozen short fields; message properties
/// travel in one value and Java caps them at 32 KiB, so these limits leave ample room for every real client.
/// </summary>
public static class HeaderLimits
{
    /// <summary>Most extFields entries a header may hold.</summary>
    public const int MaxExtFields = 1024;

    /// <summary>Longest extFields key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>Longest extFields value or remark, in UTF-8 bytes.</summary>
    public const int MaxValueBytes = 1024 * 1024;
}
