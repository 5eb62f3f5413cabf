using System.Xml;
using RaftMq.Chaos.Cli;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Tests.Support;

namespace RaftMq.Chaos.Tests.Cli;

public sealed class ChaosCliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteHistory(HistoryBuilder h, string? tornTail = null)
    {
        var path = _dir.File("history.jsonl");
        using (var writer = new HistoryWriter(path))
        {
            foreach (var op in h.Ops)
            {
                writer.Append(op);
            }
        }

        if (tornTail is not null)
        {
            File.AppendAllText(path, tornTail);
        }

        return path;
    }

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = ChaosCli.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static HistoryBuilder Drained(HistoryBuilder h) =>
        h.Note(RunNotes.DrainComplete, new Dictionary<string, string> { [RunNotes.FullDrainField] = "true" });

    [Fact]
    public void Check_of_a_clean_history_prints_the_summary_and_exits_zero()
    {
        var path = WriteHistory(Drained(new HistoryBuilder().Ok("a", "k", 1, 0).Receive("a", "k", 1, 0)));

        var (exit, stdout, _) = Run("check", path);

        Assert.Equal(ExitCodes.Valid, exit);
        Assert.StartsWith("chaos: ops=1 ok=1 ", stdout);
        Assert.Contains("full-drain=true valid=true", stdout);
    }

    [Fact]
    public void Check_of_a_history_with_a_lost_write_exits_one_and_writes_the_report()
    {
        var path = WriteHistory(new HistoryBuilder().Ok("a", "k", 1, 0).Ok("b", "k", 2, 1).Receive("b", "k", 2, 1));
        var report = _dir.File("report.html");

        var (exit, stdout, _) = Run("check", path, "--report", report);

        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains(" lost=1 ", stdout);
        using var reader = XmlReader.Create(report, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        while (reader.Read())
        {
            // reading to the end proves the report is well-formed
        }
    }

    [Fact]
    public void Flags_override_the_options_recorded_in_the_history()
    {
        var path = WriteHistory(Drained(new HistoryBuilder().Ok("a", "k", 1, 0)));

        Assert.Equal(ExitCodes.Invalid, Run("check", path).Exit);
        Assert.Equal(ExitCodes.Valid, Run("check", path, "--no-full-drain").Exit);
    }

    [Fact]
    public void Torn_tail_is_tolerated_with_a_warning()
    {
        var path = WriteHistory(new HistoryBuilder().Ok("a", "k", 1, 0).Receive("a", "k", 1, 0), tornTail: "{\"type\":\"rece");

        var (exit, _, stderr) = Run("check", path);

        Assert.Equal(ExitCodes.Valid, exit);
        Assert.Contains("torn", stderr);
    }

    [Fact]
    public void Bad_usage_and_missing_files_exit_two()
    {
        Assert.Equal(ExitCodes.Usage, Run().Exit);
        Assert.Equal(ExitCodes.Usage, Run("check").Exit);
        Assert.Equal(ExitCodes.Usage, Run("check", _dir.File("missing.jsonl")).Exit);
        var path = WriteHistory(new HistoryBuilder());
        Assert.Equal(ExitCodes.Usage, Run("check", path, "--flush", "SOMETIMES").Exit);
        Assert.Equal(ExitCodes.Usage, Run("check", path, "--bogus").Exit);
    }

    [Fact]
    public void Run_rejects_a_bad_command_line_with_exit_two_before_starting_anything()
    {
        var fakeRaftMq = _dir.File("raftmq.dll");
        File.WriteAllText(fakeRaftMq, "not an assembly");

        var (missing, _, missingErr) = Run("run", "--raftmq", _dir.File("absent.dll"), "--out", _dir.File("out1"));
        var (badNodes, _, badNodesErr) = Run("run", "--raftmq", fakeRaftMq, "--nodes", "4", "--out", _dir.File("out2"));
        var (unknown, _, unknownErr) = Run("run", "--raftmq", fakeRaftMq, "--bogus");
        var (badNemesis, _, _) = Run("run", "--raftmq", fakeRaftMq, "--nemeses", "kill-leader,meteor", "--out", _dir.File("out3"));

        Assert.Equal(ExitCodes.Usage, missing);
        Assert.Contains("raftmq not found", missingErr);
        Assert.Equal(ExitCodes.Usage, badNodes);
        Assert.Contains("--nodes must be 3 or 5", badNodesErr);
        Assert.Equal(ExitCodes.Usage, unknown);
        Assert.Contains("unknown option '--bogus'", unknownErr);
        Assert.Equal(ExitCodes.Usage, badNemesis);
        Assert.False(Directory.Exists(_dir.File("out2")));
    }
}
