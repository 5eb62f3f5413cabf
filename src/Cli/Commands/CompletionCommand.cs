using RaftMq.Cli.CommandLine;

namespace RaftMq.Cli.Commands;

/// <summary>
/// <c>raftmq completion</c>: prints a bash completion function. System.CommandLine 3.0 answers completion requests
/// through its <c>[suggest:POSITION] "COMMAND LINE"</c> directive but ships no shell script (its <c>dotnet-suggest</c>
/// tool does that for every registered program); this function asks raftmq itself, so nothing else is installed.
/// </summary>
public sealed class CompletionCommand : Command
{
    /// <summary>Bash hands the whole line and the cursor position; raftmq prints one candidate per line.</summary>
    public const string BashScript = """
        # raftmq bash completion: eval "$(raftmq completion)" in ~/.bashrc
        _raftmq_complete()
        {
            local IFS=$'\n'
            local candidates
            candidates=$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)
            COMPREPLY=( $(compgen -W "${candidates}" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _raftmq_complete raftmq

        """;

    public override string Name => "completion";

    public override string Summary => "print the bash completion script for raftmq's verbs and options";

    protected override IReadOnlyList<OptionSpec> VerbOptions => [];

    protected override string Notes => "enable it with: eval \"$(raftmq completion)\"   (zsh: autoload bashcompinit && bashcompinit first)\n" +
        "the script asks raftmq itself: raftmq \"[suggest:POSITION]\" \"COMMAND LINE\" prints the candidates at POSITION";

    public override async Task<int> ExecuteAsync(ParsedArgs args, CommandContext context)
    {
        await context.Out.WriteAsync(BashScript).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
