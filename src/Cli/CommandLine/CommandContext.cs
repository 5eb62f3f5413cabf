namespace RaftMq.Cli.CommandLine;

/// <summary>What a running verb gets besides its arguments: output streams, the working directory and the token
/// cancelled by Ctrl-C or SIGTERM.</summary>
public sealed record CommandContext(TextWriter Out, TextWriter Error, string WorkingDirectory, CancellationToken Stopping)
{
    /// <summary>The log folder a verb uses: <c>-l DIR</c>, or <c>logs</c> under the working directory.</summary>
    public string LogDirectory(ParsedArgs args) =>
        Path.GetFullPath(args.Get(Command.LogDirOption.Name) ?? "logs", WorkingDirectory);

    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
