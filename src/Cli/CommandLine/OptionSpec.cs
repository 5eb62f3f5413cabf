namespace RaftMq.Cli.CommandLine;

/// <summary>One option a verb accepts: <c>--name VALUE</c> (or <c>-s VALUE</c>, <c>--name=VALUE</c>), or a flag
/// when <paramref name="ValueName"/> is null.</summary>
/// <param name="Name">Long name without dashes (<c>namesrv</c>).</param>
/// <param name="Short">One-letter alias without the dash (<c>n</c>), or null.</param>
/// <param name="ValueName">What the value is, for the usage text (<c>ADDR</c>); null for a flag.</param>
/// <param name="Help">One line of help.</param>
public sealed record OptionSpec(string Name, string? Short, string? ValueName, string Help)
{
    public bool IsFlag => ValueName is null;

    /// <summary>The usage-text form: <c>-n, --namesrv ADDR</c>.</summary>
    public string Synopsis => (Short is null ? "    " : $"-{Short}, ") + $"--{Name}" + (IsFlag ? "" : $" {ValueName}");

    public static OptionSpec Value(string name, string? shortName, string valueName, string help) => new(name, shortName, valueName, help);

    public static OptionSpec Flag(string name, string? shortName, string help) => new(name, shortName, null, help);
}
