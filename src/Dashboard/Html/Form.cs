using System.Text;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Html;

/// <summary>Form fields with their error message right beside them.</summary>
internal static class Form
{
    public static string Field(string label, string name, string? value, FieldErrors errors, string type = "text", string? hint = null, string? placeholder = null)
    {
        string? error = errors.For(name);
        var html = new StringBuilder();
        html.Append("<label class=\"field").Append(error is null ? "" : " has-error").Append("\"><span>").Append(E(label)).Append("</span>");
        html.Append("<input type=\"").Append(E(type)).Append("\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append('"');
        if (placeholder is not null) html.Append(" placeholder=\"").Append(E(placeholder)).Append('"');
        html.Append('>');
        if (hint is not null) html.Append("<small>").Append(E(hint)).Append("</small>");
        if (error is not null) html.Append("<span class=\"field-error\" data-field=\"").Append(E(name)).Append("\">").Append(E(error)).Append("</span>");
        return html.Append("</label>").ToString();
    }

    public static string Select(string label, string name, string? value, IEnumerable<(string Value, string Text)> options, FieldErrors errors)
    {
        string? error = errors.For(name);
        var html = new StringBuilder();
        html.Append("<label class=\"field").Append(error is null ? "" : " has-error").Append("\"><span>").Append(E(label)).Append("</span>");
        html.Append("<select name=\"").Append(E(name)).Append("\">");
        foreach (var (optionValue, text) in options)
        {
            html.Append("<option value=\"").Append(E(optionValue)).Append('"').Append(optionValue == value ? " selected" : "").Append('>').Append(E(text)).Append("</option>");
        }
        html.Append("</select>");
        if (error is not null) html.Append("<span class=\"field-error\" data-field=\"").Append(E(name)).Append("\">").Append(E(error)).Append("</span>");
        return html.Append("</label>").ToString();
    }

    public static string Hidden(string name, string? value) => $"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value)}\">";

    public static string Open(string action, string id, string css = "form") => $"<form method=\"post\" action=\"{E(action)}\" id=\"{E(id)}\" class=\"{E(css)}\">";

    public static string Submit(string text, string css = "btn") => $"<button type=\"submit\" class=\"{E(css)}\">{E(text)}</button>";

    public static string Close(FieldErrors errors) =>
        (errors.General is { } general ? $"<div class=\"field-error form-error\">{E(general)}</div>" : "") + "</form>";
}

/// <summary>Validation messages of one form, by field name; <see cref="General"/> is for failures not tied to a field.</summary>
internal sealed class FieldErrors
{
    public static readonly FieldErrors None = new();

    private readonly Dictionary<string, string> _byField = new(StringComparer.Ordinal);

    public string? General { get; set; }

    public bool Any => _byField.Count > 0 || General is not null;

    public void Add(string field, string message) => _byField.TryAdd(field, message);

    public string? For(string field) => _byField.GetValueOrDefault(field);
}
