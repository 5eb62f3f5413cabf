using RaftMq.Chaos.History;
using RaftMq.Chaos.Tests.Support;

namespace RaftMq.Chaos.Tests.History;

public sealed class HistoryFileTests
{
    private static readonly HistoryOp[] OneOfEach =
    [
        new NoteOp(RunNotes.RunParameters, 0, new Dictionary<string, string> { ["flushDiskType"] = "SYNC_FLUSH" }),
        new SendOp("p1", "k1", 7, "p1-7", 10, 25, SendOutcome.Acknowledged, "RaftNode00", 2, 41, "C0A8000100002A9F", Attempts: 2),
        new SendOp("p1", "k1", 8, "p1-8", 30, 3_000_030, SendOutcome.Unknown, Error: "timeout"),
        new ReceiveOp("c0", "p1-7", "k1", 7, "RaftNode00", 2, 41, 40),
        new FaultOp("partition-halves", FaultPhase.Start, 3, ["n0", "n1"], 50, "n0,n1 | n2"),
    ];

    [Fact]
    public void Every_op_kind_round_trips_through_a_file()
    {
        using var dir = new TempDirectory();
        using (var writer = new HistoryWriter(dir.File("history.jsonl")))
        {
            foreach (var op in OneOfEach)
            {
                writer.Append(op);
            }
        }

        var file = HistoryReader.ReadFile(dir.File("history.jsonl"));

        Assert.False(file.TornTail);
        Assert.Equal(OneOfEach.Length, file.Ops.Count);
        Assert.Equal(OneOfEach[1], file.Ops[1]);
        Assert.Equal(OneOfEach[2], file.Ops[2]);
        Assert.Equal(OneOfEach[3], file.Ops[3]);
        var fault = Assert.IsType<FaultOp>(file.Ops[4]);
        Assert.Equal(["n0", "n1"], fault.Targets);
        Assert.Equal("SYNC_FLUSH", Assert.IsType<NoteOp>(file.Ops[0]).Fields!["flushDiskType"]);
    }

    [Fact]
    public void Lines_use_the_documented_field_names_and_lowercase_outcomes()
    {
        var line = System.Text.Encoding.UTF8.GetString(HistoryWriter.Serialize(OneOfEach[1]));

        Assert.StartsWith("{\"type\":\"send\",", line);
        Assert.Contains("\"outcome\":\"ok\"", line);
        Assert.Contains("\"queueOffset\":41", line);
        Assert.Contains("\"payloadId\":\"p1-7\"", line);
        Assert.DoesNotContain("\"error\"", line);
        Assert.EndsWith("}\n", line);
    }

    [Fact]
    public void Concurrent_writers_never_interleave_lines()
    {
        using var dir = new TempDirectory();
        const int writers = 8, perWriter = 500;
        using (var writer = new HistoryWriter(dir.File("history.jsonl")))
        {
            Parallel.For(0, writers, w =>
            {
                for (var i = 0; i < perWriter; i++)
                {
                    writer.Append(new SendOp($"p{w}", $"k{w}", i, $"p{w}-{i}", i, i + 1, SendOutcome.Acknowledged, "RaftNode00", w, i));
                }
            });
        }

        var file = HistoryReader.ReadFile(dir.File("history.jsonl"));

        Assert.Equal(writers * perWriter, file.Ops.Count);
        Assert.Equal(writers * perWriter, file.Ops.OfType<SendOp>().Select(s => s.PayloadId).Distinct().Count());
    }

    [Fact]
    public void Flushed_ops_are_readable_while_the_writer_is_still_open()
    {
        using var dir = new TempDirectory();
        using var writer = new HistoryWriter(dir.File("history.jsonl"));
        writer.Append(OneOfEach[1]);
        writer.Flush();

        var file = HistoryReader.ReadFile(dir.File("history.jsonl"));

        Assert.Equal(OneOfEach[1], Assert.Single(file.Ops));
    }

    [Fact]
    public void Torn_last_line_of_a_killed_writer_is_skipped_and_reported()
    {
        var whole = System.Text.Encoding.UTF8.GetString(HistoryWriter.Serialize(OneOfEach[1]));
        var torn = System.Text.Encoding.UTF8.GetString(HistoryWriter.Serialize(OneOfEach[3]))[..20];

        var file = HistoryReader.Parse(whole + torn);

        Assert.True(file.TornTail);
        Assert.Equal(OneOfEach[1], Assert.Single(file.Ops));
    }

    [Fact]
    public void Damaged_line_before_the_end_is_an_error_naming_the_line()
    {
        var whole = System.Text.Encoding.UTF8.GetString(HistoryWriter.Serialize(OneOfEach[1]));

        var error = Assert.Throws<HistoryFormatException>(() => HistoryReader.Parse(whole + "{\"type\":\"send\",\"key\n" + whole, "h.jsonl"));

        Assert.StartsWith("h.jsonl:2:", error.Message);
    }

    [Fact]
    public void Line_missing_a_required_field_is_rejected()
    {
        var error = Assert.Throws<HistoryFormatException>(() => HistoryReader.Parse("{\"type\":\"receive\",\"consumer\":\"c0\"}\n"));

        Assert.Contains(":1:", error.Message);
    }
}
