using System.Globalization;
using System.Xml;
using RaftMq.Chaos.Checking;
using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Report;

public static partial class HtmlReport
{
    private static void WriteAnomalyTable(XmlWriter xml, CheckResult result)
    {
        Section(xml, "anomalies", "Anomalies");
        xml.WriteStartElement("table");
        Row(xml, "th", "anomaly", "count", "fails run", "examples");
        foreach (var group in result.Anomalies)
        {
            xml.WriteStartElement("tr");
            if (group.FailsRun && group.Count > 0)
            {
                xml.WriteAttributeString("class", "fails");
            }

            xml.WriteElementString("td", AnomalyKinds.Label(group.Kind));
            xml.WriteElementString("td", group.Count.ToString(CultureInfo.InvariantCulture));
            xml.WriteElementString("td", group.FailsRun ? "yes" : "no");
            xml.WriteStartElement("td");
            if (group.Examples.Count > 0)
            {
                xml.WriteStartElement("ul");
                foreach (var example in group.Examples)
                {
                    xml.WriteElementString("li", $"{example.Subject}: {example.Detail}");
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void WriteWindowTable(XmlWriter xml, CheckResult result)
    {
        Section(xml, "faults", "Fault windows and recovery");
        xml.WriteElementString("p",
            $"Failover (first failed send to next ok, per disrupted window): samples={result.Failover.Samples} "
            + $"min={CheckResult.FormatSeconds(result.Failover.Min)} median={CheckResult.FormatSeconds(result.Failover.Median)} "
            + $"max={CheckResult.FormatSeconds(result.Failover.Max)}; availability {Number(result.Availability * 100)}% of sends ok.");
        xml.WriteStartElement("table");
        Row(xml, "th", "#", "nemesis", "targets", "start s", "stop s", "sends", "ok", "status", "recovery");
        foreach (var w in result.Windows)
        {
            Row(xml, "td",
                w.Window.Id.ToString(CultureInfo.InvariantCulture),
                w.Window.Name + (w.Window.Detail is null ? "" : $" ({w.Window.Detail})"),
                string.Join(" ", w.Window.Targets),
                Seconds(w.Window.StartUs),
                w.Window.StopUs is { } stop ? Seconds(stop) : "not healed",
                w.Sends.ToString(CultureInfo.InvariantCulture),
                w.OkSends.ToString(CultureInfo.InvariantCulture),
                w.Status switch
                {
                    RecoveryStatus.NoDisruption => "no disruption",
                    RecoveryStatus.Recovered => "recovered",
                    _ => "NOT recovered",
                },
                CheckResult.FormatSeconds(w.RecoveryTime));
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void WriteParameters(XmlWriter xml, CheckResult result, IReadOnlyList<HistoryOp> ops)
    {
        Section(xml, "parameters", "Run parameters");
        xml.WriteStartElement("table");
        Row(xml, "th", "parameter", "value");
        var options = result.Options;
        Row(xml, "td", "checker flushDiskType", CheckOptions.Format(options.FlushDiskType));
        Row(xml, "td", "checker fullDrain", options.FullDrain ? "true" : "false");
        Row(xml, "td", "checker orderedKeys", options.OrderedKeys ? "true" : "false");
        Row(xml, "td", "checker powerLossExposure", CheckResult.FormatSeconds(options.PowerLossExposure));
        var c = result.Counts;
        Row(xml, "td", "payloads (acked / received)", $"{c.Payloads} ({c.AckedPayloads} / {c.ReceivedPayloads})");
        Row(xml, "td", "receives", c.Receives.ToString(CultureInfo.InvariantCulture));
        foreach (var note in ops.OfType<NoteOp>().Where(n => n.Text is RunNotes.RunParameters or RunNotes.DrainComplete))
        {
            foreach (var (key, value) in note.Fields ?? new Dictionary<string, string>())
            {
                Row(xml, "td", $"{note.Text}.{key}", value);
            }
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }
}
