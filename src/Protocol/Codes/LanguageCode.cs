namespace RaftMq.Protocol.Codes;

/// <summary>Sender implementation language; JSON headers carry the upper-case name, binary headers the code.</summary>
public enum LanguageCode : byte
{
    Java = 0,
    Cpp = 1,
    DotNet = 2,
    Python = 3,
    Delphi = 4,
    Erlang = 5,
    Ruby = 6,
    Other = 7,
    Http = 8,
    Go = 9,
    Php = 10,
    Oms = 11,
    Rust = 12,
}

/// <summary>Wire names of <see cref="LanguageCode"/> as Java spells them.</summary>
public static class LanguageCodeNames
{
    private static readonly string[] Names =
        ["JAVA", "CPP", "DOTNET", "PYTHON", "DELPHI", "ERLANG", "RUBY", "OTHER", "HTTP", "GO", "PHP", "OMS", "RUST"];

    /// <summary>The Java enum name; codes outside the table map to OTHER.</summary>
    public static string ToWireName(LanguageCode code) =>
        (int)code < Names.Length ? Names[(int)code] : "OTHER";

    /// <summary>Parses a wire name (case-sensitive, as Java does); unknown names map to <see cref="LanguageCode.Other"/>.</summary>
    public static LanguageCode FromWireName(ReadOnlySpan<char> name)
    {
        for (int i = 0; i < Names.Length; i++)
        {
            if (name.SequenceEqual(Names[i])) return (LanguageCode)i;
        }
        return LanguageCode.Other;
    }

    /// <summary>Maps a numeric code; unknown codes map to <see cref="LanguageCode.Other"/>.</summary>
    public static LanguageCode FromCode(long code) =>
        code >= 0 && code < Names.Length ? (LanguageCode)code : LanguageCode.Other;
}
