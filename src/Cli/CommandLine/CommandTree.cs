using System.CommandLine;
using System.CommandLine.Help;
using Scl = System.CommandLine;

namespace RaftMq.Cli.CommandLine;

/// <summary>
/// Builds the System.CommandLine tree of the executable from the verb declarations: one command per
/// <see cref="Command"/> with an option per <see cref="OptionSpec"/>, one per <see cref="CommandGroup"/>, a recursive
/// <c>-h/--help</c> that prints <see cref="HelpText"/>, and the root's <c>[suggest]</c> directive for shell completion.
/// </summary>
internal static class CommandTree
{
    public const string ExecutableName = "raftmq";

    public static RootCommand Build(IReadOnlyList<Command> commands, IReadOnlyList<CommandGroup> groups, VerbRunner runner)
    {
        var root = new RootCommand("RaftMq: a RocketMQ-compatible broker whose CommitLog is a Raft log");
        // The root's name is the running program's (testhost under a test runner); completion lines start with raftmq.
        if (root.Name != ExecutableName) root.Aliases.Add(ExecutableName);
        root.Options.Clear();
        root.Options.Add(new HelpOption("--help", "-h") { Description = "show this help", Action = new UsageHelpAction() });
        root.SetAction(UsageOnError);
        foreach (var command in commands) root.Subcommands.Add(new VerbCommand(command, runner));
        foreach (var group in groups)
        {
            var groupCommand = new Scl.Command(group.Name, group.Summary);
            foreach (var command in group.Commands) groupCommand.Subcommands.Add(new VerbCommand(command, runner));
            groupCommand.SetAction(UsageOnError);
            root.Subcommands.Add(groupCommand);
        }
        return root;
    }

    /// <summary>The path users type to reach a command: <c>raftmq admin topicList</c>.</summary>
    public static string PathOf(Scl.Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Scl.Command current; symbol = current.Parents.FirstOrDefault())
        {
            names.Add(current is RootCommand ? ExecutableName : current.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary><c>raftmq</c> or <c>raftmq admin</c> without a verb: the usage on stderr, exit code 2.</summary>
    private static int UsageOnError(ParseResult result)
    {
        result.InvocationConfiguration.Error.Write(HelpText.For(result.CommandResult.Command));
        return ExitCodes.BadInput;
    }

    private sealed class UsageHelpAction : Scl.Invocation.SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.Write(HelpText.For(parseResult.CommandResult.Command));
            return ExitCodes.Success;
        }
    }
}
