using System.CommandLine;
using Scl = System.CommandLine;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// The System.CommandLine command of one <see cref="Command"/>: an option per <see cref="OptionSpec"/> (long name,
/// one-letter alias, value name for help and completion), and an action that hands the parsed options to the verb
/// through <see cref="VerbRunner"/>.
/// </summary>
internal sealed class VerbCommand : Scl.Command
{
    private readonly List<(Option Option, OptionSpec Spec)> _options = [];

    public VerbCommand(Command verb, VerbRunner runner) : base(verb.Name, verb.Summary)
    {
        Verb = verb;
        foreach (var spec in verb.Options)
        {
            var option = CreateOption(spec);
            Options.Add(option);
            _options.Add((option, spec));
        }
        SetAction((result, stopping) => runner.RunAsync(this, result, stopping));
    }

    public Command Verb { get; }

    /// <summary>The options given on the command line (or in a response file) as the verb reads them.</summary>
    public ParsedArgs ArgsOf(ParseResult result)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (option, spec) in _options)
        {
            if (result.GetResult(option) is not { Implicit: false } given) continue;
            if (spec.IsFlag) flags.Add(spec.Name);
            else values[spec.Name] = given.Tokens[^1].Value;
        }
        return new ParsedArgs(values, flags);
    }

    /// <summary>
    /// A value option takes one value per occurrence and may be repeated (the last one counts, so a response file can
    /// be overridden on the command line); a flag takes no value.
    /// </summary>
    private static Option CreateOption(OptionSpec spec)
    {
        string[] aliases = spec.Short is null ? [] : ["-" + spec.Short];
        if (spec.IsFlag) return new Option<bool>("--" + spec.Name, aliases) { Description = spec.Help, Arity = ArgumentArity.Zero };
        return new Option<string[]>("--" + spec.Name, aliases)
        {
            Description = spec.Help, HelpName = spec.ValueName, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false,
        };
    }
}
