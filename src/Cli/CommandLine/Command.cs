using System.Text;

namespace RaftMq.Cli.CommandLine;

/// <summary>One verb of the raftmq executable (<c>namesrv</c>, <c>admin topicList</c>, ...).</summary>
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

    public IReadOnlyList<OptionSpec> Options => [.. VerbOptions, LogDirOption, HelpOption];

    internal static OptionSpec HelpOption { get; } = OptionSpec.Flag("help", "h", "show this help");

    /// <summary>Verbs take options only: a stray word is a usage error.</summary>
    public ParsedArgs Parse(IReadOnlyList<string> args) => ParsedArgs.Parse(args, Options);

    public abstract Task<int> ExecuteAsync(ParsedArgs args, CommandContext context);

    public string Usage(string prefix)
    {
        var text = new StringBuilder();
        text.Append("usage: ").Append(prefix).Append(' ').Append(Name);
        if (VerbOptions.Count > 0) text.Append(" [options]");
        text.AppendLine().Append("  ").AppendLine(Summary).AppendLine("options:");
        int width = Options.Max(option => option.Synopsis.Length) + 2;
        foreach (var option in Options) text.Append("  ").Append(option.Synopsis.PadRight(width)).AppendLine(option.Help);
        if (Notes is not null) text.AppendLine().AppendLine(Notes);
        return text.ToString();
    }
}
