using System.Globalization;
using System.Text;
using System.Xml;
using RaftMq.Chaos.Checking;
using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Report;

/// <summary>
/// Renders a run as one self-contained XHTML file: inline CSS and SVG, no script, no network. Written with
/// an <see cref="XmlWriter"/>, so the markup is always well-formed XML.
/// </summary>
public static partial class HtmlReport
{
    private const string XhtmlNamespace = "http://www.w3.org/1999/xhtml";

    public static string Render(CheckResult result, IReadOnlyList<HistoryOp> ops, string title)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(ops);
        var text = new StringBuilder();
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, Indent = true, Encoding = Encoding.UTF8 };
        using (var xml = XmlWriter.Create(text, settings))
        {
            xml.WriteDocType("html", null, null, null);
            xml.WriteStartElement("html", XhtmlNamespace);
            WriteHead(xml, title);
            xml.WriteStartElement("body");
            xml.WriteElementString("h1", title);
            WriteVerdict(xml, result);
            WriteTimeline(xml, result, ops);
            WriteAnomalyTable(xml, result);
            WriteWindowTable(xml, result);
            WriteParameters(xml, result, ops);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return text.ToString();
    }

    public static void WriteFile(string path, CheckResult result, IReadOnlyList<HistoryOp> ops, string title) =>
        File.WriteAllText(path, Render(result, ops, title), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    private static void WriteHead(XmlWriter xml, string title)
    {
        xml.WriteStartElement("head");
        xml.WriteStartElement("meta");
        xml.WriteAttributeString("charset", "utf-8");
        xml.WriteEndElement();
        xml.WriteElementString("title", title);
        xml.WriteElementString("style", Styles);
        xml.WriteEndElement();
    }

    private static void WriteVerdict(XmlWriter xml, CheckResult result)
    {
        Section(xml, "summary", "Summary");
        xml.WriteStartElement("p");
        xml.WriteAttributeString("class", result.IsValid ? "verdict valid" : "verdict invalid");
        xml.WriteString(result.IsValid ? "VALID: no safety anomaly" : "INVALID: safety anomalies found");
        xml.WriteEndElement();
        xml.WriteElementString("pre", result.Summary());
        xml.WriteEndElement();
    }

    /// <summary>Opens a &lt;section id=...&gt; with its heading; the caller closes it.</summary>
    private static void Section(XmlWriter xml, string id, string heading)
    {
        xml.WriteStartElement("section");
        xml.WriteAttributeString("id", id);
        xml.WriteElementString("h2", heading);
    }

    private static void Row(XmlWriter xml, string cellTag, params string[] cells)
    {
        xml.WriteStartElement("tr");
        foreach (var cell in cells)
        {
            xml.WriteElementString(cellTag, cell);
        }

        xml.WriteEndElement();
    }

    private static string Seconds(long micros) =>
        (micros / 1_000_000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private const string Styles = """
        body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: 0.5em 0; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; font-size: 0.9em; }
        th { background: #f3f3f3; }
        tr.fails td { background: #fde8e8; }
        pre { background: #f7f7f7; padding: 0.6em; white-space: pre-wrap; }
        .verdict { font-weight: bold; padding: 0.4em 0.8em; display: inline-block; }
        .valid { background: #e3f6e3; color: #145214; } .invalid { background: #fde8e8; color: #8a1111; }
        svg { border: 1px solid #ddd; background: #fff; }
        svg text { font-size: 11px; fill: #444; }
        svg .ok { fill: #2a9d3a; } svg .fail { fill: #d62828; } svg .info { fill: #f08c00; }
        svg .fault { fill: #d62828; fill-opacity: 0.10; stroke: #d62828; stroke-opacity: 0.3; }
        svg .powerloss { fill: #6a3d9a; fill-opacity: 0.14; }
        svg .grid { stroke: #eee; } svg .axis { stroke: #888; }
        svg .okline { fill: none; stroke: #2a9d3a; stroke-width: 1.5; }
        svg .badline { fill: none; stroke: #d62828; stroke-width: 1.5; }
        .legend span { margin-right: 1.2em; } .legend .ok { color: #2a9d3a; } .legend .fail { color: #d62828; } .legend .info { color: #f08c00; }
        """;
}
