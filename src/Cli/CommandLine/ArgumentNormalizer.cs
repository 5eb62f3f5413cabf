using System.CommandLine;
using Scl = System.CommandLine;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// What raftmq accepted before it parsed with System.CommandLine and that library does not: verb names in any case
/// (<c>admin topiclist</c>), the word <c>help</c> in place of a verb, and mqadmin's long options with one dash
/// (<c>-namesrv ADDR</c>). The arguments are rewritten to the canonical form before parsing.
/// </summary>
internal static class ArgumentNormalizer
{
    public static string[] Normalize(IReadOnlyList<string> args, RootCommand root)
    {
        var result = args.ToArray();
        int index = 0;
        while (index < result.Length && IsDirective(result[index])) index++;
        Scl.Command current = root;
        for (; index < result.Length && current.Subcommands.Count > 0; index++)
        {
            if (result[index] == "help")
            {
                result[index] = "--help";
                return result;
            }
            var next = current.Subcommands.FirstOrDefault(command => string.Equals(command.Name, result[index], StringComparison.OrdinalIgnoreCase));
            if (next is null) return result;
            result[index] = next.Name;
            current = next;
        }
        for (; index < result.Length; index++) result[index] = LongOptionWithTwoDashes(result[index], current);
        return result;
    }

    private static bool IsDirective(string arg) => arg.Length > 2 && arg[0] == '[' && arg[^1] == ']';

    /// <summary><c>-namesrv</c> / <c>-namesrv=ADDR</c> become <c>--namesrv</c> / <c>--namesrv=ADDR</c> when the verb
    /// has that long option and no alias spelt with one dash.</summary>
    private static string LongOptionWithTwoDashes(string arg, Scl.Command verb)
    {
        if (arg.Length < 3 || arg[0] != '-' || arg[1] == '-') return arg;
        int equals = arg.IndexOf('=');
        string name = equals < 0 ? arg : arg[..equals];
        bool known = verb.Options.Any(option => option.Aliases.Contains(name));
        bool longName = verb.Options.Any(option => option.Name == "-" + name);
        return !known && longName ? "-" + arg : arg;
    }
}
