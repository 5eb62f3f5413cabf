using FsCheck;
using FsCheck.Fluent;
using RaftMq.Client.Trace;

namespace RaftMq.Client.Tests.Trace;

/// <summary>Records in RocketMQ's trace data format: field order and separators as the Java client's TraceDataEncoder.</summary>
public sealed class TraceDataCodecTests
{
    private const char C = '\u0001';
    private const char F = '\u0002';

    [Fact]
    public void Pub_record_has_the_java_field_order()
    {
        var record = new TraceRecord
        {
            Type = TraceType.Pub, Timestamp = 1700000000123, RegionId = "DefaultRegion", GroupName = "PG", Topic = "Orders",
            MsgId = "7F0000010001", Tags = "TagA", Keys = "k1 k2", StoreHost = "127.0.0.1:10911", BodyLength = 12, CostTime = 3,
            MessageType = 0, OffsetMsgId = "7F00000100002A9F0000000000000000", Success = true,
        };

        Assert.Equal(
            $"Pub{C}1700000000123{C}DefaultRegion{C}PG{C}Orders{C}7F0000010001{C}TagA{C}k1 k2{C}127.0.0.1:10911{C}12{C}3{C}0{C}7F00000100002A9F0000000000000000{C}true{F}",
            TraceDataCodec.Encode([record]));
    }

    [Fact]
    public void Sub_records_have_the_java_field_order_and_unset_text_is_written_null()
    {
        var before = new TraceRecord
        {
            Type = TraceType.SubBefore, Timestamp = 5, RegionId = "DefaultRegion", GroupName = "CG", RequestId = "REQ", MsgId = "M1", RetryTimes = 2,
        };
        var after = new TraceRecord
        {
            Type = TraceType.SubAfter, RequestId = "REQ", MsgId = "M1", CostTime = 7, Success = false, Keys = "k", ContextCode = 4, Timestamp = 5,
        };

        Assert.Equal($"SubBefore{C}5{C}DefaultRegion{C}CG{C}REQ{C}M1{C}2{C}null{F}SubAfter{C}REQ{C}M1{C}7{C}false{C}k{C}4{C}5{F}",
            TraceDataCodec.Encode([before, after]));
    }

    [Fact]
    public void Older_record_forms_decode_as_the_java_decoder_reads_them()
    {
        string pubWithoutOffsetId = $"Pub{C}1{C}R{C}PG{C}T{C}M{C}tag{C}key{C}host:1{C}4{C}2{C}3{C}true{F}";
        string pubWithClientHost = $"Pub{C}1{C}R{C}PG{C}T{C}M{C}tag{C}key{C}host:1{C}4{C}2{C}0{C}OFF{C}false{C}10.0.0.9{F}";
        string subAfterWithoutCode = $"SubAfter{C}REQ{C}M{C}9{C}true{C}key{F}";
        string unknown = $"Mystery{C}1{F}";

        var records = TraceDataCodec.Decode(pubWithoutOffsetId + pubWithClientHost + subAfterWithoutCode + unknown);

        Assert.Equal(3, records.Count);
        Assert.Null(records[0].OffsetMsgId);
        Assert.True(records[0].Success);
        Assert.Equal(3, records[0].MessageType);
        Assert.Equal("OFF", records[1].OffsetMsgId);
        Assert.Equal("10.0.0.9", records[1].ClientHost);
        Assert.False(records[1].Success);
        Assert.Equal((9, true, 0, 0L), (records[2].CostTime, records[2].Success, records[2].ContextCode, records[2].Timestamp));
    }

    [Fact]
    public void A_record_too_short_for_its_type_is_a_format_error() =>
        Assert.Throws<FormatException>(() => TraceDataCodec.Decode($"SubBefore{C}1{C}R{F}"));

    private static readonly Gen<string> Text = Gen.Elements("a", "TagA", "k1 k2", "DefaultRegion", "127.0.0.1:10911", "çà 値", "%RETRY%g", "x-y_z");

    private static readonly Gen<TraceRecord> AnyRecord =
        from type in Gen.Elements(TraceType.Pub, TraceType.SubBefore, TraceType.SubAfter, TraceType.EndTransaction)
        from timestamp in Gen.Choose(0, int.MaxValue).Select(t => t * 1000L)
        from texts in Text.ArrayOf(10)
        from numbers in Gen.Choose(0, 100_000).ArrayOf(5)
        from flags in Gen.Elements(true, false).ArrayOf(2)
        select Normalize(new TraceRecord
        {
            Type = type, Timestamp = timestamp, RegionId = texts[0], GroupName = texts[1], RequestId = texts[2], Topic = texts[3], MsgId = texts[4],
            Tags = texts[5], Keys = texts[6], StoreHost = texts[7], OffsetMsgId = texts[8], TransactionId = texts[9],
            TransactionState = "COMMIT_MESSAGE", BodyLength = numbers[0], CostTime = numbers[1], MessageType = numbers[2] % 4,
            RetryTimes = numbers[3] % 17, ContextCode = numbers[4] % 5, Success = flags[0], FromTransactionCheck = flags[1],
        });

    /// <summary>Only the fields the record's type carries survive a round trip.</summary>
    private static TraceRecord Normalize(TraceRecord r) => r.Type switch
    {
        TraceType.Pub => r with { RequestId = null, RetryTimes = 0, ContextCode = 0, TransactionId = null, TransactionState = null, FromTransactionCheck = false },
        TraceType.SubBefore => new TraceRecord
        {
            Type = r.Type, Timestamp = r.Timestamp, RegionId = r.RegionId, GroupName = r.GroupName, RequestId = r.RequestId, MsgId = r.MsgId,
            RetryTimes = r.RetryTimes, Keys = r.Keys,
        },
        TraceType.SubAfter => new TraceRecord
        {
            Type = r.Type, RequestId = r.RequestId, MsgId = r.MsgId, CostTime = r.CostTime, Success = r.Success, Keys = r.Keys,
            ContextCode = r.ContextCode, Timestamp = r.Timestamp,
        },
        _ => new TraceRecord
        {
            Type = r.Type, Timestamp = r.Timestamp, RegionId = r.RegionId, GroupName = r.GroupName, Topic = r.Topic, MsgId = r.MsgId, Tags = r.Tags,
            Keys = r.Keys, StoreHost = r.StoreHost, MessageType = r.MessageType, TransactionId = r.TransactionId,
            TransactionState = r.TransactionState, FromTransactionCheck = r.FromTransactionCheck,
        },
    };

    [Fact]
    public void Any_batch_of_records_round_trips()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(AnyRecord.ListOf().ToArbitrary(), records =>
        {
            var decoded = TraceDataCodec.Decode(TraceDataCodec.Encode(records));
            Assert.Equal(records, decoded);
        }));
    }
}
