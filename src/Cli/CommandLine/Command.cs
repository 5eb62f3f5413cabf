namespace RaftMq.Cli.CommandLine;

/// <summary>One verb of the raftmq executable (<c>namesrv</c>, <c>admin topicList</c>, ...). The verb declares its
/// options; <see cref="CommandTree"/> turns the declaration into a System.CommandLine command that parses, completes
/// and documents them.</summary>
public abstract class Command
{
    /// <summary>Every verb writes logs; <c>-l DIR</c> moves them out of <c>./logs</c>.</summary>
    public static readonly OptionSpec LogDirOption = OptionSpec.Value("log-dir", "l", "DIR", "folder for log files (default: ./logs)");

    public abstract string Name { get; }

    public abstract string Summary { get; }

    /// <summary>Options specific to the verb; <see cref="LogDirOption"/> and <c>--help</c> are added to all.</summary>
    protected abstract IReadOnlyList<OptionSpec> VerbOptions { get; }

    /// <summary>Extra usage text: examples, defaults worth knowing.</summary>
    protected virtual string? Notes => null;

    /// <summary>The options the verb parses: its own and <see cref="LogDirOption"/> (<c>--help</c> is the parser's).</summary>
    public IReadOnlyList<OptionSpec> Options => [.. VerbOptions, LogDirOption];

    internal string? UsageNotes => Notes;

    public abstract Task<int> ExecuteAsync(ParsedArgs args, CommandContext context);
}
