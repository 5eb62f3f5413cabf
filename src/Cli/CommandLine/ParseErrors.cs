using System.CommandLine;
using System.CommandLine.Parsing;
using Scl = System.CommandLine;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// What a command line that does not parse prints: a line per problem, prefixed with the command path, naming the
/// word that is wrong and, for a misspelt verb or option, the nearest one; then the usage of the command. Exit code 2.
/// </summary>
internal static class ParseErrors
{
    /// <summary>Edit distance up to which a known name is offered (System.CommandLine's typo rule).</summary>
    private const int MaxSuggestionDistance = 3;

    private const int MaxSuggestions = 3;

    public static int Report(ParseResult result, TextWriter error)
    {
        var command = result.CommandResult.Command;
        string prefix = CommandTree.PathOf(command);
        // The first word not understood is the mistake; the words after it are mostly its value.
        if (result.UnmatchedTokens.Count > 0) error.WriteLine($"{prefix}: {Describe(result.UnmatchedTokens[0], command)}");
        foreach (var parseError in result.Errors)
        {
            // Unmatched words are reported above; the parser adds each to the command as "unrecognized".
            if (parseError.SymbolResult is CommandResult && result.UnmatchedTokens.Count > 0) continue;
            error.WriteLine($"{prefix}: {parseError.Message}");
        }
        error.Write(HelpText.For(command));
        return ExitCodes.BadInput;
    }

    private static string Describe(string token, Scl.Command command)
    {
        bool isOption = token.StartsWith('-');
        string what = isOption ? $"unknown option '{token}'"
            : command.Subcommands.Count > 0 ? $"unknown command '{token}'"
            : $"unexpected argument '{token}'";
        var candidates = isOption
            ? command.Options.Concat(command.Parents.OfType<Scl.Command>().SelectMany(parent => parent.Options.Where(o => o.Recursive)))
                .SelectMany(option => option.Aliases.Prepend(option.Name))
            : command.Subcommands.Select(subcommand => subcommand.Name);
        var suggestions = Nearest(token, candidates);
        return suggestions.Count == 0 ? what : $"{what}; did you mean {string.Join(" or ", suggestions)}?";
    }

    /// <summary>The known names closest to <paramref name="token"/> (ignoring case), if any lies within
    /// <see cref="MaxSuggestionDistance"/> edits and few enough to be a hint.</summary>
    internal static IReadOnlyList<string> Nearest(string token, IEnumerable<string> candidates)
    {
        var scored = candidates.Distinct(StringComparer.Ordinal)
            .Select(candidate => (candidate, distance: Distance(token.ToLowerInvariant(), candidate.ToLowerInvariant())))
            .Where(entry => entry.distance <= MaxSuggestionDistance && entry.distance < Math.Max(token.Length, 2))
            .ToList();
        if (scored.Count == 0) return [];
        int best = scored.Min(entry => entry.distance);
        var nearest = scored.Where(entry => entry.distance == best).Select(entry => entry.candidate).Order(StringComparer.Ordinal).ToList();
        // Many names equally near (a one-letter option) say nothing about what was meant.
        return nearest.Count <= MaxSuggestions ? nearest : [];
    }

    private static int Distance(string first, string second)
    {
        var previous = new int[second.Length + 1];
        var current = new int[second.Length + 1];
        for (int j = 0; j <= second.Length; j++) previous[j] = j;
        for (int i = 1; i <= first.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= second.Length; j++)
            {
                int substitution = previous[j - 1] + (first[i - 1] == second[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }
            (previous, current) = (current, previous);
        }
        return previous[second.Length];
    }
}
