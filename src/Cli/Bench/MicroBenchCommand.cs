using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RaftMq.Cli.Bench.Micro;
using RaftMq.Cli.CommandLine;

namespace RaftMq.Cli.Bench;

/// <summary><c>raftmq bench micro</c>: BenchmarkDotNet micro-benchmarks of the codecs and the log append, run in
/// this process (no separate benchmark project to build).</summary>
public sealed class MicroBenchCommand : Command
{
    private static readonly OptionSpec FilterOption = OptionSpec.Value("filter", "f", "GLOB",
        "run only benchmarks whose full name matches (e.g. '*Raft*'); repeatable with ','");
    private static readonly OptionSpec JobOption = OptionSpec.Value("job", "j", "short|medium|dry", "BenchmarkDotNet job (default: short)");
    private static readonly OptionSpec ArtifactsOption = OptionSpec.Value("artifacts", null, "DIR", "report folder (default: ./BenchmarkDotNet.Artifacts)");
    private static readonly OptionSpec ListOption = OptionSpec.Flag("list", null, "list the benchmark classes and exit");

    private static readonly Type[] Benchmarks =
    [
        typeof(StoredMessageBenchmarks), typeof(RemotingFrameBenchmarks), typeof(RaftMessageBenchmarks), typeof(LogAppendBenchmarks),
        typeof(KeyIndexBenchmarks),
    ];

    public override string Name => "micro";

    public override string Summary => "BenchmarkDotNet micro-benchmarks: message/frame/Raft codecs, log append, key index build";

    protected override IReadOnlyList<OptionSpec> VerbOptions => [FilterOption, JobOption, ArtifactsOption, ListOption];

    protected override string Notes => "needs a Release build: dotnet run -c Release --project src/Cli -- bench micro --filter '*Raft*'";

    public override Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        if (args.Has(ListOption.Name))
        {
            foreach (var type in Benchmarks) context.Out.WriteLine(type.Name);
            return Task.FromResult(ExitCodes.Success);
        }
        if (IsDebugBuild())
            throw new UsageException("micro-benchmarks of a Debug build measure nothing useful; build with -c Release");

        var job = args.Get(JobOption.Name, "short") switch
        {
            "short" => Job.ShortRun,
            "medium" => Job.MediumRun,
            "dry" => Job.Dry,
            string other => throw new UsageException($"option --job = '{other}': expected short, medium or dry"),
        };
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
            .WithArtifactsPath(context.ResolvePath(args.Get(ArtifactsOption.Name, "BenchmarkDotNet.Artifacts")));
        string? filter = args.Get(FilterOption.Name);
        if (filter is not null) config = config.AddFilter(new GlobFilter(filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));

        var summaries = BenchmarkRunner.Run(Benchmarks, config);
        bool failed = summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success));
        bool ranNothing = summaries.All(summary => summary.BenchmarksCases.Length == 0);
        if (ranNothing) context.Error.WriteLine($"raftmq bench micro: no benchmark matches '{filter}'");
        return Task.FromResult(failed || ranNothing ? ExitCodes.Failure : ExitCodes.Success);
    }

    private static bool IsDebugBuild() =>
        typeof(MicroBenchCommand).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true;
}
