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

    /// <summary>Appends one record (several messages' records may share a body). Fields are appended one by one, without
    /// boxing: this runs once per traced send and per consumed message.</summary>
    public static void Append(StringBuilder builder, TraceRecord record)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(record);
        var r = record;
        switch (r.Type)
        {
            case TraceType.Pub:
                Text(builder, "Pub").Number(builder, r.Timestamp).Text(builder, r.RegionId).Text(builder, r.GroupName).Text(builder, r.Topic)
                    .Text(builder, r.MsgId).Text(builder, r.Tags).Text(builder, r.Keys).Text(builder, r.StoreHost).Number(builder, r.BodyLength)
                    .Number(builder, r.CostTime).Number(builder, r.MessageType).Text(builder, r.OffsetMsgId).Last(builder, r.Success);
                break;
            case TraceType.SubBefore:
                Text(builder, "SubBefore").Number(builder, r.Timestamp).Text(builder, r.RegionId).Text(builder, r.GroupName)
                    .Text(builder, r.RequestId).Text(builder, r.MsgId).Number(builder, r.RetryTimes).Last(builder, r.Keys);
                break;
            case TraceType.SubAfter:
                Text(builder, "SubAfter").Text(builder, r.RequestId).Text(builder, r.MsgId).Number(builder, r.CostTime).Flag(builder, r.Success)
                    .Text(builder, r.Keys).Number(builder, r.ContextCode).Last(builder, r.Timestamp);
                break;
            default:
                Text(builder, "EndTransaction").Number(builder, r.Timestamp).Text(builder, r.RegionId).Text(builder, r.GroupName)
                    .Text(builder, r.Topic).Text(builder, r.MsgId).Text(builder, r.Tags).Text(builder, r.Keys).Text(builder, r.StoreHost)
                    .Number(builder, r.MessageType).Text(builder, r.TransactionId).Text(builder, r.TransactionState).Last(builder, r.FromTransactionCheck);
                break;
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

    /// <summary>Appends a field and the field separator; returns a token so the fields of a record chain in order.</summary>
    private static FieldWriter Text(StringBuilder builder, string? value) => default(FieldWriter).Text(builder, value);

    /// <summary>Chains the fields of one record: text as Java writes it ("null" when unset), numbers invariant,
    /// booleans "true"/"false"; the last field ends the record.</summary>
    private readonly struct FieldWriter
    {
        public FieldWriter Text(StringBuilder builder, string? value)
        {
            builder.Append(value ?? "null").Append(ContentSeparator);
            return this;
        }

        public FieldWriter Number(StringBuilder builder, long value)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{value}").Append(ContentSeparator);
            return this;
        }

        public FieldWriter Flag(StringBuilder builder, bool value)
        {
            builder.Append(value ? "true" : "false").Append(ContentSeparator);
            return this;
        }

        public void Last(StringBuilder builder, string? value) => builder.Append(value ?? "null").Append(FieldSeparator);

        public void Last(StringBuilder builder, long value) => builder.Append(CultureInfo.InvariantCulture, $"{value}").Append(FieldSeparator);

        public void Last(StringBuilder builder, bool value) => builder.Append(value ? "true" : "false").Append(FieldSeparator);
    }

    private static void Require(string[] line, int fields)
    {
        if (line.Length < fields) throw new FormatException($"A {line[0]} trace record needs {fields} fields, found {line.Length}.");
    }

    private static long Long(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static int Int(string text) => int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>Java's Boolean.parseBoolean: "true" in any case, anything else false.</summary>
    private static bool Bool(string text) => string.Equals(text, "true", StringComparison.OrdinalIgnoreCase);
}
