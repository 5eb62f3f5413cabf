using System.Globalization;
using RaftMq.Chaos.Checking;
using RaftMq.Chaos.History;
using RaftMq.Chaos.Report;

namespace RaftMq.Chaos.Cli;

/// <summary>
/// <c>raftmq-chaos check HISTORY [--report out.html] [--full-drain|--no-full-drain] [--flush SYNC_FLUSH|ASYNC_FLUSH]
/// [--unordered] [--examples N]</c>. Options default to what the history's run notes say.
/// </summary>
internal static class CheckCommand
{
    public const string Usage =
        "usage: raftmq-chaos check HISTORY [--report OUT.html] [--full-drain|--no-full-drain] "
        + "[--flush SYNC_FLUSH|ASYNC_FLUSH] [--unordered] [--examples N]";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            stderr.WriteLine(Usage);
            return ExitCodes.Usage;
        }

        var path = args[0];
        HistoryFile history;
        try
        {
            history = HistoryReader.ReadFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HistoryFormatException)
        {
            stderr.WriteLine($"cannot read history {path}: {e.Message}");
            return ExitCodes.Usage;
        }

        if (history.TornTail)
        {
            stderr.WriteLine($"warning: {path}: last line was torn (writer killed) and is ignored");
        }

        var options = CheckOptions.FromHistory(history.Ops);
        string? reportPath = null;
        try
        {
            (options, reportPath) = ParseFlags(args.Skip(1).ToList(), options);
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine(e.Message);
            stderr.WriteLine(Usage);
            return ExitCodes.Usage;
        }

        var result = Checker.Check(history.Ops, options);
        if (reportPath is not null)
        {
            HtmlReport.WriteFile(reportPath, result, history.Ops, $"RaftMq chaos run: {Path.GetFileName(path)}");
            stderr.WriteLine($"report: {reportPath}");
        }

        stdout.WriteLine(result.Summary());
        return result.IsValid ? ExitCodes.Valid : ExitCodes.Invalid;
    }

    private static (CheckOptions Options, string? ReportPath) ParseFlags(List<string> flags, CheckOptions options)
    {
        string? report = null;
        for (var i = 0; i < flags.Count; i++)
        {
            string Value() => i + 1 < flags.Count ? flags[++i] : throw new ArgumentException($"{flags[i]} needs a value");
            switch (flags[i])
            {
                case "--report": report = Value(); break;
                case "--full-drain": options = options with { FullDrain = true }; break;
                case "--no-full-drain": options = options with { FullDrain = false }; break;
                case "--flush": options = options with { FlushDiskType = CheckOptions.ParseFlushDiskType(Value()) }; break;
                case "--unordered": options = options with { OrderedKeys = false }; break;
                case "--examples":
                    var raw = Value();
                    options = options with
                    {
                        MaxExamples = int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                            ? n
                            : throw new ArgumentException($"--examples needs a non-negative number, got '{raw}'"),
                    };
                    break;
                default: throw new ArgumentException($"unknown option '{flags[i]}'");
            }
        }

        return (options, report);
    }
}
