using System.CommandLine;
using System.Text;
using Scl = System.CommandLine;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// The usage text of the root, a group or a verb, drawn from the System.CommandLine tree: what <c>--help</c> prints
/// and what follows a usage error. System.CommandLine 3.0 keeps its help layout internal (only the width can be set),
/// and that layout has no place for a verb's notes (examples, defaults), so the layout is ours: one style everywhere.
/// </summary>
internal static class HelpText
{
    public static string For(Scl.Command command) =>
        command is VerbCommand verb ? ForVerb(verb) : ForGroup(command);

    private static string ForVerb(VerbCommand verb)
    {
        var text = new StringBuilder();
        text.Append("usage: ").Append(CommandTree.PathOf(verb));
        if (verb.Options.Count > 1) text.Append(" [options]");
        text.AppendLine().Append("  ").AppendLine(verb.Description).AppendLine("options:");
        var options = verb.Options.Concat(InheritedOptions(verb)).Where(option => !option.Hidden).ToList();
        AppendRows(text, options.Select(option => (Synopsis(option), option.Description ?? "")));
        if (verb.Verb.UsageNotes is { } notes) text.AppendLine().AppendLine(notes);
        return text.ToString();
    }

    private static string ForGroup(Scl.Command group)
    {
        string path = CommandTree.PathOf(group);
        var text = new StringBuilder();
        text.Append("usage: ").Append(path).AppendLine(" <command> [options]");
        if (!string.IsNullOrEmpty(group.Description)) text.Append("  ").AppendLine(group.Description);
        text.AppendLine("commands:");
        AppendRows(text, group.Subcommands.Where(command => !command.Hidden)
            .Select(command => (command is VerbCommand ? command.Name : command.Name + " ...", command.Description ?? "")));
        text.Append("run '").Append(path).AppendLine(" <command> --help' for its options");
        if (group is RootCommand)
        {
            text.AppendLine("@FILE in place of options reads them from FILE (a response file: options separated by spaces or lines, # comments)");
            text.AppendLine("bash completion: eval \"$(raftmq completion)\"");
        }
        return text.ToString();
    }

    /// <summary>Options of the parents that apply to every command below them (<c>--help</c>).</summary>
    private static IEnumerable<Option> InheritedOptions(Scl.Command command) =>
        command.Parents.OfType<Scl.Command>().SelectMany(parent => parent.Options.Where(option => option.Recursive).Concat(InheritedOptions(parent)));

    /// <summary><c>-n, --namesrv ADDR</c>: the one-letter alias, the long name, the value name.</summary>
    private static string Synopsis(Option option)
    {
        string? shortAlias = option.Aliases.FirstOrDefault(alias => alias.Length == 2 && alias[0] == '-');
        string value = option.Arity.MaximumNumberOfValues > 0 && option.HelpName is { } name ? " " + name : "";
        return (shortAlias is null ? "    " : shortAlias + ", ") + option.Name + value;
    }

    private static void AppendRows(StringBuilder text, IEnumerable<(string Left, string Right)> rows)
    {
        var list = rows.ToList();
        int width = list.Select(row => row.Left.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var (left, right) in list) text.Append("  ").Append(left.PadRight(width)).AppendLine(right);
    }
}
