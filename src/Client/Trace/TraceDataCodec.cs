using System.Globalization;
using System.Text;

namespace RaftMq.Client.Trace;

/// <summary>
/// RocketMQ 4.x's trace data text (the Java client's TraceDataEncoder): each record is its fields joined by U+0001
/// and ended by U+0002, in a fixed order per type; a trace message body is records back to back. Java writes unset
/// text fields as "null" and booleans as "true"/"false"; both are kept so Java tools read our records unchanged.
/// </summary>
public static class TraceDataCodec
{
    /// <summary>Between the fields of one record (Java's TraceConstants.CONTENT_SPLITOR).</summary>
    public const char ContentSeparator = '\u0001';

    /// <summary>After each record (Java's TraceConstants.FIELD_SPLITOR).</summary>
    public const char FieldSeparator = '\u0002';

    /// <summary>Appends one record (several messages' records may share a body).</summary>
    public static void Append(StringBuilder builder, TraceRecord record)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(record);
        object?[] fields = record.Type switch
        {
            TraceType.Pub =>
            [
                "Pub", record.Timestamp, record.RegionId, record.GroupName, record.Topic, record.MsgId, record.Tags, record.Keys,
                record.StoreHost, record.BodyLength, record.CostTime, record.MessageType, record.OffsetMsgId, record.Success,
            ],
            TraceType.SubBefore =>
            [
                "SubBefore", record.Timestamp, record.RegionId, record.GroupName, record.RequestId, record.MsgId, record.RetryTimes, record.Keys,
            ],
            TraceType.SubAfter =>
            [
                "SubAfter", record.RequestId, record.MsgId, record.CostTime, record.Success, record.Keys, record.ContextCode, record.Timestamp,
            ],
            _ =>
            [
                "EndTransaction", record.Timestamp, record.RegionId, record.GroupName, record.Topic, record.MsgId, record.Tags, record.Keys,
                record.StoreHost, record.MessageType, record.TransactionId, record.TransactionState, record.FromTransactionCheck,
            ],
        };
        for (int i = 0; i < fields.Length; i++)
        {
            builder.Append(Text(fields[i])).Append(i == fields.Length - 1 ? FieldSeparator : ContentSeparator);
        }
    }

    /// <summary>The body of a trace message holding these records.</summary>
    public static string Encode(IEnumerable<TraceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var builder = new StringBuilder(256);
        foreach (var record in records) Append(builder, record);
        return builder.ToString();
    }

    /// <summary>
    /// Parses a trace body as the Java decoder does, including the shorter forms older clients wrote (Pub without the
    /// offset message id, SubAfter without context code or timestamp) and the longer Pub with the client host.
    /// Records of unknown type are skipped; a record too short for its type throws <see cref="FormatException"/>.
    /// </summary>
    public static List<TraceRecord> Decode(string? body)
    {
        var records = new List<TraceRecord>();
        if (string.IsNullOrEmpty(body)) return records;
        foreach (string piece in body.Split(FieldSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var line = piece.Split(ContentSeparator);
            var record = line[0] switch
            {
                "Pub" => Pub(line),
                "SubBefore" => SubBefore(line),
                "SubAfter" => SubAfter(line),
                "EndTransaction" => EndTransaction(line),
                _ => null,
            };
            if (record is not null) records.Add(record);
        }
        return records;
    }

    private static TraceRecord Pub(string[] line)
    {
        Require(line, 13);
        bool withOffsetId = line.Length >= 14;
        return new TraceRecord
        {
            Type = TraceType.Pub,
            Timestamp = Long(line[1]),
            RegionId = line[2],
            GroupName = line[3],
            Topic = line[4],
            MsgId = line[5],
            Tags = line[6],
            Keys = line[7],
            StoreHost = line[8],
            BodyLength = Int(line[9]),
            CostTime = Int(line[10]),
            MessageType = Int(line[11]),
            OffsetMsgId = withOffsetId ? line[12] : null,
            Success = Bool(line[withOffsetId ? 13 : 12]),
            ClientHost = line.Length >= 15 ? line[14] : null,
        };
    }

    private static TraceRecord SubBefore(string[] line)
    {
        Require(line, 8);
        return new TraceRecord
        {
            Type = TraceType.SubBefore,
            Timestamp = Long(line[1]),
            RegionId = line[2],
            GroupName = line[3],
            RequestId = line[4],
            MsgId = line[5],
            RetryTimes = Int(line[6]),
            Keys = line[7],
        };
    }

    private static TraceRecord SubAfter(string[] line)
    {
        Require(line, 6);
        return new TraceRecord
        {
            Type = TraceType.SubAfter,
            RequestId = line[1],
            MsgId = line[2],
            CostTime = Int(line[3]),
            Success = Bool(line[4]),
            Keys = line[5],
            ContextCode = line.Length >= 7 ? Int(line[6]) : 0,
            Timestamp = line.Length >= 8 ? Long(line[7]) : 0,
        };
    }

    private static TraceRecord EndTransaction(string[] line)
    {
        Require(line, 13);
        return new TraceRecord
        {
            Type = TraceType.EndTransaction,
            Timestamp = Long(line[1]),
            RegionId = line[2],
            GroupName = line[3],
            Topic = line[4],
            MsgId = line[5],
            Tags = line[6],
            Keys = line[7],
            StoreHost = line[8],
            MessageType = Int(line[9]),
            TransactionId = line[10],
            TransactionState = line[11],
            FromTransactionCheck = Bool(line[12]),
        };
    }

    private static string Text(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    private static void Require(string[] line, int fields)
    {
        if (line.Length < fields) throw new FormatException($"A {line[0]} trace record needs {fields} fields, found {line.Length}.");
    }

    private static long Long(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static int Int(string text) => int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>Java's Boolean.parseBoolean: "true" in any case, anything else false.</summary>
    private static bool Bool(string text) => string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
}
