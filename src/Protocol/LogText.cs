namespace RaftMq.Protocol;

/// <summary>Remote input shortened before it reaches a log line, so a hostile peer cannot fill the disk with one field.</summary>
public static class LogText
{
    /// <summary>Longest piece of remote input a log line carries.</summary>
    public const int MaxLength = 256;

    /// <summary><paramref name="text"/> itself when short enough, else its start and how much was cut.</summary>
    public static string Truncate(string? text, int maxLength = MaxLength)
    {
        if (text is null) return "";
        return text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), $"...({text.Length - maxLength} more chars)");
    }
}
