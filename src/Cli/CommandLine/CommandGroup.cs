using System.Text;

namespace RaftMq.Cli.CommandLine;

/// <summary>A verb with sub-verbs (<c>admin clusterList</c>, <c>bench produce</c>).</summary>
public sealed class CommandGroup(string name, string summary, IReadOnlyList<Command> commands)
{
    public string Name { get; } = name;

    public string Summary { get; } = summary;

    public IReadOnlyList<Command> Commands { get; } = commands;

    public Command? Find(string name) =>
        Commands.FirstOrDefault(command => string.Equals(command.Name, name, StringComparison.OrdinalIgnoreCase));

    public string Usage(string prefix)
    {
        var text = new StringBuilder();
        text.Append("usage: ").Append(prefix).Append(' ').Append(Name).AppendLine(" <command> [options]");
        text.Append("  ").AppendLine(Summary).AppendLine("commands:");
        int width = Commands.Max(command => command.Name.Length) + 2;
        foreach (var command in Commands) text.Append("  ").Append(command.Name.PadRight(width)).AppendLine(command.Summary);
        text.Append("run '").Append(prefix).Append(' ').Append(Name).AppendLine(" <command> --help' for its options");
        return text.ToString();
    }
}
