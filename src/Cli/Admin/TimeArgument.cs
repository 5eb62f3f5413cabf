using System.Globalization;
using RaftMq.Cli.CommandLine;

namespace RaftMq.Cli.Admin;

/// <summary>mqadmin's time options: milliseconds since 1970 or <c>yyyy-MM-dd#HH:mm:ss:SSS</c> in local time (and, where a
/// verb allows it, <c>now</c>).</summary>
public static class TimeArgument
{
    private const string DateFormat = "yyyy-MM-dd#HH:mm:ss:fff";

    /// <summary>The date form as mqadmin's help writes it.</summary>
    public const string DateFormatText = "yyyy-MM-dd#HH:mm:ss:SSS";

    /// <summary>The option's time in ms since 1970, or null when it is not given; <c>now</c> is read when called.</summary>
    public static long? Parse(ParsedArgs args, OptionSpec option, bool allowNow = false)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(option);
        string? raw = args.Get(option.Name);
        if (raw is null) return null;
        string text = raw.Trim();
        if (allowNow && text == "now") return DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long milliseconds)) return milliseconds;
        if (DateTime.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var local))
        {
            return new DateTimeOffset(local).ToUnixTimeMilliseconds();
        }
        throw new UsageException($"option --{option.Name} = '{raw}': expected {(allowNow ? "now, " : "")}milliseconds since 1970, or {DateFormatText} (e.g. 2024-05-01#13:30:00:000)");
    }

    /// <summary>A begin/end pair; an end before the begin is a usage error.</summary>
    public static (long? Begin, long? End) Range(ParsedArgs args, OptionSpec begin, OptionSpec end)
    {
        long? from = Parse(args, begin);
        long? to = Parse(args, end);
        if (from is { } b && to is { } e && e < b)
        {
            throw new UsageException($"option --{end.Name} = '{args.Get(end.Name)}' lies before --{begin.Name} = '{args.Get(begin.Name)}'");
        }
        return (from, to);
    }
}
