namespace RaftMq.Cli.CommandLine;

/// <summary>A verb with sub-verbs (<c>admin clusterList</c>, <c>bench produce</c>).</summary>
public sealed class CommandGroup(string name, string summary, IReadOnlyList<Command> commands)
{
    public string Name { get; } = name;

    public string Summary { get; } = summary;

    public IReadOnlyList<Command> Commands { get; } = commands;
}
