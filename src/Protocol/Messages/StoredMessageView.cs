using System.Buffers.Binary;
using System.Text;
using RaftMq.Foundation.Checksums;
using RaftMq.Protocol.Codes;
using static RaftMq.Protocol.Messages.StoredMessageLayout;

namespace RaftMq.Protocol.Messages;

/// <summary>
/// A validated, zero-copy view of one stored message record: fixed fields are read on access, body, topic and
/// properties are slices of the record.
/// </summary>
public readonly ref struct StoredMessageView
{
    private readonly int _topicOffset;
    private readonly int _propertiesOffset;

    private StoredMessageView(ReadOnlySpan<byte> record, int topicOffset, int propertiesOffset)
    {
        Record = record;
        _topicOffset = topicOffset;
        _propertiesOffset = propertiesOffset;
    }

    /// <summary>The whole record (TOTALSIZE bytes).</summary>
    public ReadOnlySpan<byte> Record { get; }

    public int TotalSize => Record.Length;

    public int MagicCode => ReadInt32(MagicCodeOffset);

    public int BodyCrc => ReadInt32(BodyCrcOffset);

    public int QueueId => ReadInt32(QueueIdOffset);

    public int Flag => ReadInt32(FlagOffset);

    public long QueueOffset => ReadInt64(QueueOffsetOffset);

    public long PhysicalOffset => ReadInt64(PhysicalOffsetOffset);

    public int SysFlag => ReadInt32(SysFlagOffset);

    public long BornTimestamp => ReadInt64(BornTimestampOffset);

    public MessageHost BornHost => MessageHost.Read(Record[BornHostOffset..]);

    public long StoreTimestamp => ReadInt64(StoreTimestampOffset);

    public MessageHost StoreHost => MessageHost.Read(Record[StoreHostOffset..]);

    public int ReconsumeTimes => ReadInt32(ReconsumeTimesOffset);

    public long PreparedTransactionOffset => ReadInt64(PreparedTransactionOffsetOffset);

    public ReadOnlySpan<byte> Body => Record[BodyOffset..(_topicOffset - 1)];

    public ReadOnlySpan<byte> TopicUtf8 => Record[_topicOffset..(_propertiesOffset - 2)];

    public ReadOnlySpan<byte> PropertiesUtf8 => Record[_propertiesOffset..];

    public string Topic => Encoding.UTF8.GetString(TopicUtf8);

    /// <summary>All fixed fields as a value (e.g. to re-encode the message with changes).</summary>
    public StoredMessageFields Fields => new()
    {
        QueueId = QueueId,
        Flag = Flag,
        QueueOffset = QueueOffset,
        PhysicalOffset = PhysicalOffset,
        SysFlag = SysFlag,
        BornTimestamp = BornTimestamp,
        BornHost = BornHost,
        StoreTimestamp = StoreTimestamp,
        StoreHost = StoreHost,
        ReconsumeTimes = ReconsumeTimes,
        PreparedTransactionOffset = PreparedTransactionOffset,
    };

    /// <summary>True when BODYCRC matches the body.</summary>
    public bool IsBodyCrcValid => BodyCrc == Crc32Ieee.BodyCrc(Body);

    /// <summary>
    /// Validates the record at the start of <paramref name="buffer"/> and returns a view of it. When
    /// <paramref name="ignoreTotalSize"/> is set, the size is derived from the variable-length fields instead of
    /// TOTALSIZE (CHECK_TRANSACTION_STATE bodies carry TOTALSIZE 0).
    /// </summary>
    public static StoredMessageView Read(ReadOnlySpan<byte> buffer, bool ignoreTotalSize = false)
    {
        if (buffer.Length < FixedSize) throw Bad($"record needs at least {FixedSize} bytes, got {buffer.Length}");
        int magic = BinaryPrimitives.ReadInt32BigEndian(buffer[MagicCodeOffset..]);
        if (magic != MessageMagicCode) throw Bad($"magic code 0x{magic:X8} is not a message record");
        int sysFlag = BinaryPrimitives.ReadInt32BigEndian(buffer[SysFlagOffset..]);
        if ((sysFlag & (MessageSysFlag.BornHostV6 | MessageSysFlag.StoreHostV6)) != 0)
        {
            throw Bad("IPv6 born/store hosts are not supported");
        }
        int bodyLength = BinaryPrimitives.ReadInt32BigEndian(buffer[BodyLengthOffset..]);
        if (bodyLength < 0 || bodyLength > buffer.Length - FixedSize) throw Bad($"body length {bodyLength} exceeds the record");
        int topicOffset = BodyOffset + bodyLength + 1;
        int topicLength = buffer[topicOffset - 1];
        if (topicLength > MaxTopicLength || topicOffset + topicLength + 2 > buffer.Length)
        {
            throw Bad($"topic length {topicLength} exceeds the record");
        }
        int propertiesOffset = topicOffset + topicLength + 2;
        int propertiesLength = BinaryPrimitives.ReadInt16BigEndian(buffer[(propertiesOffset - 2)..]);
        int size = propertiesOffset + propertiesLength;
        if (propertiesLength < 0 || size > buffer.Length) throw Bad($"properties length {propertiesLength} exceeds the record");
        int totalSize = BinaryPrimitives.ReadInt32BigEndian(buffer);
        if (!ignoreTotalSize && totalSize != size) throw Bad($"TOTALSIZE {totalSize} does not match the field lengths ({size})");
        return new StoredMessageView(buffer[..size], topicOffset, propertiesOffset);
    }

    /// <summary>Like <see cref="Read"/> but returns false instead of throwing.</summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out StoredMessageView view)
    {
        try
        {
            view = Read(buffer);
            return true;
        }
        catch (MessageFormatException)
        {
            view = default;
            return false;
        }
    }

    /// <summary>Iterates the records of a pull/query body (records back to back).</summary>
    public static StoredMessageEnumerator ReadAll(ReadOnlySpan<byte> body) => new(body);

    /// <summary>Copies the record into a heap object (client side).</summary>
    public DecodedMessage ToDecodedMessage() => DecodedMessage.From(this);

    private int ReadInt32(int offset) => BinaryPrimitives.ReadInt32BigEndian(Record[offset..]);

    private long ReadInt64(int offset) => BinaryPrimitives.ReadInt64BigEndian(Record[offset..]);

    private static MessageFormatException Bad(string reason) => new("Malformed stored message: " + reason + ".");
}

/// <summary>Enumerates back-to-back stored message records; a malformed record throws <see cref="MessageFormatException"/>.</summary>
public ref struct StoredMessageEnumerator
{
    private ReadOnlySpan<byte> _remaining;

    internal StoredMessageEnumerator(ReadOnlySpan<byte> body)
    {
        _remaining = body;
        Current = default;
    }

    public StoredMessageView Current { get; private set; }

    public readonly StoredMessageEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining.IsEmpty) return false;
        Current = StoredMessageView.Read(_remaining);
        _remaining = _remaining[Current.TotalSize..];
        return true;
    }
}
