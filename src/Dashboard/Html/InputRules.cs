using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace RaftMq.Dashboard.Html;

/// <summary>
/// Parses form and query input, recording a message per bad field. Names follow RocketMQ's rule (letters, digits,
/// '%', '|', '_', '-'; topics at most 127 characters, groups 255); times are UTC "yyyy-MM-ddTHH:mm[:ss]" as a
/// browser's datetime-local field sends them.
/// </summary>
internal sealed class InputRules(IFormCollection? form, IQueryCollection? query, FieldErrors errors)
{
    public const int MaxTopicLength = 127;
    public const int MaxGroupLength = 255;
    private static readonly string[] TimeFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    public FieldErrors Errors => errors;

    public string? Raw(string field) =>
        (form is not null && form.TryGetValue(field, out var f) ? f.ToString() : query is not null && query.TryGetValue(field, out var q) ? q.ToString() : null)?.Trim();

    public string Topic(string field) => Name(field, MaxTopicLength, "topic");

    public string Group(string field) => Name(field, MaxGroupLength, "group");

    public string Required(string field, string what, int maxLength = 1024)
    {
        string value = Raw(field) ?? "";
        if (value.Length == 0) errors.Add(field, $"enter a {what}");
        else if (value.Length > maxLength) errors.Add(field, $"{what} is longer than {maxLength} characters");
        return value;
    }

    public int Int(string field, int min, int max, int? fallback = null)
    {
        string? text = Raw(field);
        if (string.IsNullOrEmpty(text) && fallback is { } d) return d;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            errors.Add(field, string.IsNullOrEmpty(text) ? "enter a number" : $"'{text}' is not a whole number");
            return min;
        }
        if (value < min || value > max) errors.Add(field, $"must be between {min} and {max}");
        return value;
    }

    public DateTimeOffset Time(string field, DateTimeOffset? fallback = null)
    {
        string? text = Raw(field);
        if (string.IsNullOrEmpty(text) && fallback is { } d) return d;
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(field, "enter a time (UTC)");
            return DateTimeOffset.UnixEpoch;
        }
        if (!DateTime.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            errors.Add(field, $"'{text}' is not a time like 2026-01-31T13:45");
            return DateTimeOffset.UnixEpoch;
        }
        return new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
    }

    /// <summary>Checks that <paramref name="end"/> is after <paramref name="begin"/> (unless either already failed).</summary>
    public void Range(string beginField, DateTimeOffset begin, string endField, DateTimeOffset end)
    {
        if (errors.For(beginField) is null && errors.For(endField) is null && end <= begin)
            errors.Add(endField, "the end must be after the beginning");
    }

    public static string TimeText(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private string Name(string field, int maxLength, string what)
    {
        string value = Raw(field) ?? "";
        if (value.Length == 0) errors.Add(field, $"enter a {what} name");
        else if (value.Length > maxLength) errors.Add(field, $"{what} name is longer than {maxLength} characters");
        else if (!value.All(IsNameChar)) errors.Add(field, $"{what} name may contain only letters, digits, '%', '|', '_' and '-'");
        return value;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '%' or '|' or '_' or '-';
}
