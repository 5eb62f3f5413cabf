namespace RaftMq.Cli.CommandLine;

/// <summary>One option a verb accepts: <c>--name VALUE</c> (or <c>-s VALUE</c>, <c>--name=VALUE</c>, <c>-name VALUE</c>
/// as mqadmin allows), or a flag when <paramref name="ValueName"/> is null. Given twice, the last value counts.</summary>
/// <param name="Name">Long name without dashes (<c>namesrv</c>).</param>
/// <param name="Short">One-letter alias without the dash (<c>n</c>), or null.</param>
/// <param name="ValueName">What the value is, for the usage text (<c>ADDR</c>); null for a flag.</param>
/// <param name="Help">One line of help.</param>
public sealed record OptionSpec(string Name, string? Short, string? ValueName, string Help)
{
    public bool IsFlag => ValueName is null;

    public static OptionSpec Value(string name, string? shortName, string valueName, string help) => new(name, shortName, valueName, help);

    public static OptionSpec Flag(string name, string? shortName, string help) => new(name, shortName, null, help);
}
