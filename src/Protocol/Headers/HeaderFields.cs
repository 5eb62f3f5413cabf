using System.Globalization;

namespace RaftMq.Protocol.Headers;

/// <summary>Typed access to extFields with Java's parsing rules (Integer.parseInt, Boolean.parseBoolean).</summary>
public static class HeaderFields
{
    public static string RequiredString(StringMap fields, string name) =>
        fields.TryGetValue(name, out var value) ? value : throw HeaderFieldException.Missing(name);

    public static string? OptionalString(StringMap fields, string name) =>
        fields.TryGetValue(name, out var value) ? value : null;

    public static int RequiredInt32(StringMap fields, string name) =>
        ParseInt32(name, RequiredString(fields, name));

    public static int? OptionalInt32(StringMap fields, string name) =>
        fields.TryGetValue(name, out var value) ? ParseInt32(name, value) : null;

    public static long RequiredInt64(StringMap fields, string name) =>
        ParseInt64(name, RequiredString(fields, name));

    public static long? OptionalInt64(StringMap fields, string name) =>
        fields.TryGetValue(name, out var value) ? ParseInt64(name, value) : null;

    public static bool RequiredBoolean(StringMap fields, string name) =>
        ParseBoolean(RequiredString(fields, name));

    public static bool? OptionalBoolean(StringMap fields, string name) =>
        fields.TryGetValue(name, out var value) ? ParseBoolean(value) : null;

    /// <summary>Java's Boolean.parseBoolean: "true" in any case is true, everything else false.</summary>
    public static bool ParseBoolean(string value) => value.Equals("true", StringComparison.OrdinalIgnoreCase);

    public static void Put(StringMap fields, string name, string value) => fields.Set(name, value);

    public static void Put(StringMap fields, string name, int value) =>
        fields.Set(name, value.ToString(CultureInfo.InvariantCulture));

    public static void Put(StringMap fields, string name, long value) =>
        fields.Set(name, value.ToString(CultureInfo.InvariantCulture));

    public static void Put(StringMap fields, string name, bool value) => fields.Set(name, value ? "true" : "false");

    public static void PutIfNotNull(StringMap fields, string name, string? value)
    {
        if (value is not null) fields.Set(name, value);
    }

    public static void PutIfNotNull(StringMap fields, string name, int? value)
    {
        if (value is { } v) Put(fields, name, v);
    }

    public static void PutIfNotNull(StringMap fields, string name, long? value)
    {
        if (value is { } v) Put(fields, name, v);
    }

    public static void PutIfNotNull(StringMap fields, string name, bool? value)
    {
        if (value is { } v) Put(fields, name, v);
    }

    private static int ParseInt32(string name, string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result)
            ? result
            : throw HeaderFieldException.Invalid(name, value, "a 32-bit integer");

    private static long ParseInt64(string name, string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long result)
            ? result
            : throw HeaderFieldException.Invalid(name, value, "a 64-bit integer");
}
