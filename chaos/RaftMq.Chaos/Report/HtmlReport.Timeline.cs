using System.Globalization;
using System.Text;
using System.Xml;
using RaftMq.Chaos.Checking;
using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Report;

public static partial class HtmlReport
{
    private const string Svg = "http://www.w3.org/2000/svg";

    /// <summary>Sends beyond this are thinned: every failed/info send is drawn, ok sends are sampled.</summary>
    private const int MaxPoints = 20_000;

    private static void WriteTimeline(XmlWriter xml, CheckResult result, IReadOnlyList<HistoryOp> ops)
    {
        Section(xml, "timeline", "Timeline");
        var sends = ops.OfType<SendOp>().OrderBy(s => s.InvokeUs).ToList();
        var endUs = ops.Count == 0 ? 0 : ops.Max(op => op is SendOp s ? s.CompleteUs : op.OrderUs);
        var scale = new TimelineScale(endUs, sends.Count == 0 ? 0 : sends.Max(s => s.LatencyUs) / 1000.0);
        xml.WriteStartElement("p");
        xml.WriteAttributeString("class", "legend");
        Span(xml, "ok", "\u25CF ok");
        Span(xml, "fail", "\u25CF fail");
        Span(xml, "info", "\u25CF info (unknown)");
        Span(xml, "", "top: send latency (log scale) at invoke time; bottom: sends completed per second; shaded: fault windows");
        xml.WriteEndElement();

        xml.WriteStartElement("svg", Svg);
        xml.WriteAttributeString("width", Number(TimelineScale.Width));
        xml.WriteAttributeString("height", Number(TimelineScale.Height));
        xml.WriteAttributeString("viewBox", $"0 0 {Number(TimelineScale.Width)} {Number(TimelineScale.Height)}");
        WriteFaultShading(xml, result, scale);
        WriteAxes(xml, scale);
        WriteLatencyPoints(xml, sends);
        WriteThroughput(xml, sends, scale);
        xml.WriteEndElement();
        xml.WriteEndElement();

        void WriteLatencyPoints(XmlWriter x, List<SendOp> all)
        {
            var okStride = Math.Max(1, all.Count(s => s.Outcome == SendOutcome.Acknowledged) / Math.Max(1, MaxPoints - all.Count(s => s.Outcome != SendOutcome.Acknowledged)));
            var okIndex = 0;
            foreach (var send in all)
            {
                if (send.Outcome == SendOutcome.Acknowledged && okIndex++ % okStride != 0)
                {
                    continue;
                }

                x.WriteStartElement("circle", Svg);
                x.WriteAttributeString("class", HistoryOutcome.Name(send.Outcome));
                x.WriteAttributeString("cx", Number(scale.X(send.InvokeUs)));
                x.WriteAttributeString("cy", Number(scale.LatencyY(send.LatencyUs / 1000.0)));
                x.WriteAttributeString("r", "1.6");
                x.WriteEndElement();
            }
        }
    }

    private static void Span(XmlWriter xml, string cssClass, string text)
    {
        xml.WriteStartElement("span");
        if (cssClass.Length > 0)
        {
            xml.WriteAttributeString("class", cssClass);
        }

        xml.WriteString(text);
        xml.WriteEndElement();
    }

    private static void WriteFaultShading(XmlWriter xml, CheckResult result, TimelineScale scale)
    {
        foreach (var recovery in result.Windows)
        {
            var window = recovery.Window;
            var x0 = scale.X(window.StartUs);
            var x1 = Math.Max(x0 + 1, scale.X(window.EndUs(scale.EndUs)));
            var powerLoss = window.Name == result.Options.PowerLossFaultName;
            SvgElement(xml, "rect", ("class", powerLoss ? "fault powerloss" : "fault"), ("x", Number(x0)), ("y", Number(TimelineScale.LatencyTop)),
                ("width", Number(x1 - x0)), ("height", Number(TimelineScale.ThroughputTop + TimelineScale.ThroughputHeight - TimelineScale.LatencyTop)));
            var label = $"#{window.Id} {window.Name} {string.Join(",", window.Targets)}";
            if (recovery.RecoveryTime is { } rto)
            {
                label += $" rto {CheckResult.FormatSeconds(rto)}";
            }

            SvgText(xml, label, x0 + 2, TimelineScale.LatencyTop - 4 - 11 * (recovery.Window.Id % 2));
        }
    }

    private static void WriteAxes(XmlWriter xml, TimelineScale scale)
    {
        for (var ms = TimelineScale.MinLatencyMs; ms <= scale.MaxLatencyMs * 1.0001; ms *= 10)
        {
            var y = scale.LatencyY(ms);
            SvgElement(xml, "line", ("class", "grid"), ("x1", Number(TimelineScale.Left)), ("x2", Number(TimelineScale.Width - TimelineScale.Right)),
                ("y1", Number(y)), ("y2", Number(y)));
            SvgText(xml, ms < 1 ? $"{ms:0.#} ms" : $"{ms:0} ms", 4, y + 4);
        }

        var step = scale.TickStepSeconds();
        for (long s = 0; s * 1_000_000 <= scale.EndUs; s += step)
        {
            var x = scale.X(s * 1_000_000);
            SvgElement(xml, "line", ("class", "axis"), ("x1", Number(x)), ("x2", Number(x)),
                ("y1", Number(TimelineScale.ThroughputTop + TimelineScale.ThroughputHeight)), ("y2", Number(TimelineScale.ThroughputTop + TimelineScale.ThroughputHeight + 5)));
            SvgText(xml, $"{s}s", x - 8, TimelineScale.Height - 12);
        }

        SvgText(xml, "sends/s", 4, TimelineScale.ThroughputTop - 6);
    }

    private static void WriteThroughput(XmlWriter xml, List<SendOp> sends, TimelineScale scale)
    {
        var seconds = (int)(scale.EndUs / 1_000_000) + 1;
        var ok = new int[seconds];
        var bad = new int[seconds];
        foreach (var send in sends)
        {
            var bin = (int)Math.Clamp(send.CompleteUs / 1_000_000, 0, seconds - 1);
            (send.Outcome == SendOutcome.Acknowledged ? ok : bad)[bin]++;
        }

        var max = Math.Max(1, Math.Max(ok.DefaultIfEmpty().Max(), bad.DefaultIfEmpty().Max()));
        SvgText(xml, $"max {max}/s", TimelineScale.Width - TimelineScale.Right - 70, TimelineScale.ThroughputTop - 6);
        SvgElement(xml, "polyline", ("class", "okline"), ("points", Points(ok, max, scale)));
        SvgElement(xml, "polyline", ("class", "badline"), ("points", Points(bad, max, scale)));
    }

    private static string Points(int[] perSecond, int max, TimelineScale scale)
    {
        var points = new StringBuilder();
        for (var second = 0; second < perSecond.Length; second++)
        {
            var x = scale.X(second * 1_000_000L + 500_000);
            points.Append(CultureInfo.InvariantCulture, $"{Number(x)},{Number(TimelineScale.ThroughputY(perSecond[second], max))} ");
        }

        return points.ToString().TrimEnd();
    }

    private static void SvgElement(XmlWriter xml, string name, params (string Name, string Value)[] attributes)
    {
        xml.WriteStartElement(name, Svg);
        foreach (var (attribute, value) in attributes)
        {
            xml.WriteAttributeString(attribute, value);
        }

        xml.WriteEndElement();
    }

    private static void SvgText(XmlWriter xml, string text, double x, double y)
    {
        xml.WriteStartElement("text", Svg);
        xml.WriteAttributeString("x", Number(x));
        xml.WriteAttributeString("y", Number(y));
        xml.WriteString(text);
        xml.WriteEndElement();
    }
}
