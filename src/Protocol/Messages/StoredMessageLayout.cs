namespace RaftMq.Protocol.Messages;

/// <summary>
/// Field offsets of the stored message record (§7) with IPv4 hosts: the CommitLog record that PULL,
/// VIEW_MESSAGE_BY_ID, QUERY_MESSAGE and CHECK_TRANSACTION_STATE bodies carry, big-endian.
/// </summary>
public static class StoredMessageLayout
{
    public const int TotalSizeOffset = 0;
    public const int MagicCodeOffset = 4;
    public const int BodyCrcOffset = 8;
    public const int QueueIdOffset = 12;
    public const int FlagOffset = 16;
    public const int QueueOffsetOffset = 20;
    public const int PhysicalOffsetOffset = 28;
    public const int SysFlagOffset = 36;
    public const int BornTimestampOffset = 40;
    public const int BornHostOffset = 48;
    public const int StoreTimestampOffset = 56;
    public const int StoreHostOffset = 64;
    public const int ReconsumeTimesOffset = 72;
    public const int PreparedTransactionOffsetOffset = 76;
    public const int BodyLengthOffset = 84;
    public const int BodyOffset = 88;

    /// <summary>Record size without body, topic and properties: 4 bytes BODYLEN + 1 TOPICLEN + 2 PROPLEN after the fixed part.</summary>
    public const int FixedSize = 91;

    /// <summary>MAGICCODE of a message record (-626843481).</summary>
    public const int MessageMagicCode = unchecked((int)0xDAA320A7);

    /// <summary>MAGICCODE of the filler at the end of a CommitLog file (-875286124).</summary>
    public const int BlankMagicCode = unchecked((int)0xCBD43194);

    /// <summary>TOPICLEN is one signed byte in 4.x.</summary>
    public const int MaxTopicLength = 127;

    /// <summary>PROPLEN is a signed int16.</summary>
    public const int MaxPropertiesLength = short.MaxValue;

    /// <summary>Record size for the given UTF-8 lengths.</summary>
    public static int GetRecordSize(int bodyLength, int topicLength, int propertiesLength) =>
        FixedSize + bodyLength + topicLength + propertiesLength;
}
