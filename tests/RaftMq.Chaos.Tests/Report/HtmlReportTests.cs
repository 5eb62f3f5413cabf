using System.Xml;
using System.Xml.Linq;
using RaftMq.Chaos.Checking;
using RaftMq.Chaos.Report;
using RaftMq.Chaos.Tests.Support;

namespace RaftMq.Chaos.Tests.Report;

public sealed class HtmlReportTests
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static (CheckResult Result, XDocument Document, string Html) RenderSample()
    {
        var h = new HistoryBuilder().Ok("a", "k", 1, offset: 0).Ok("b", "k", 2, offset: 1);
        var window = h.StartFault("kill-leader", "n1");
        h.Info("c", "k", 3).Fail("d", "k", 4).Tick(1_500_000).Ok("e", "k", 5, offset: 2).StopFault(window, "kill-leader");
        h.Receive("b", "k", 2, 1).Receive("e", "k", 5, 2);
        var result = Checker.Check(h.Ops, new CheckOptions { FullDrain = true });
        var html = HtmlReport.Render(result, h.Ops, "chaos run <sample> & co");
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        return (result, XDocument.Load(reader), html);
    }

    [Fact]
    public void Report_is_well_formed_xhtml_with_every_section()
    {
        var (_, document, html) = RenderSample();

        Assert.Matches(@"^<!DOCTYPE html\s*>", html);
        var sections = document.Descendants(Xhtml + "section").Select(s => (string?)s.Attribute("id")).ToList();
        Assert.Equal(["summary", "timeline", "anomalies", "faults", "parameters"], sections);
        Assert.Equal("chaos run <sample> & co", document.Descendants(Xhtml + "title").Single().Value);
    }

    [Fact]
    public void Report_is_self_contained()
    {
        var (_, document, _) = RenderSample();

        Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName is "script" or "link" or "img" or "iframe");
        Assert.DoesNotContain(document.Descendants().Attributes(), a => a.Name.LocalName is "src" or "href");
    }

    [Fact]
    public void Timeline_draws_sends_by_outcome_and_shades_the_fault_window()
    {
        var (_, document, _) = RenderSample();

        var svg = document.Descendants(Svg + "svg").Single();
        var circles = svg.Descendants(Svg + "circle").Select(c => (string?)c.Attribute("class")).ToList();
        Assert.Equal(3, circles.Count(c => c == "ok"));
        Assert.Single(circles, c => c == "fail");
        Assert.Single(circles, c => c == "info");
        Assert.Single(svg.Descendants(Svg + "rect"), r => (string?)r.Attribute("class") == "fault");
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value.StartsWith("#1 kill-leader n1 rto 1.50", StringComparison.Ordinal));
        Assert.Equal(2, svg.Descendants(Svg + "polyline").Count());
    }

    [Fact]
    public void Anomaly_table_lists_counts_and_examples_and_marks_failing_rows()
    {
        var (result, document, _) = RenderSample();

        var rows = document.Descendants(Xhtml + "section").Single(s => (string?)s.Attribute("id") == "anomalies").Descendants(Xhtml + "tr").ToList();
        Assert.Equal(1 + Enum.GetValues<AnomalyKind>().Length, rows.Count);
        var lost = rows.Single(r => r.Elements(Xhtml + "td").FirstOrDefault()?.Value == "lost");
        Assert.Equal("fails", (string?)lost.Attribute("class"));
        Assert.Equal("1", lost.Elements(Xhtml + "td").ElementAt(1).Value);
        Assert.StartsWith("a: ", lost.Descendants(Xhtml + "li").Single().Value);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Summary_section_shows_the_verdict_and_the_one_line_summary()
    {
        var (result, document, _) = RenderSample();

        var summary = document.Descendants(Xhtml + "section").First();
        Assert.Equal(result.Summary(), summary.Element(Xhtml + "pre")!.Value);
        Assert.Contains("INVALID", summary.Element(Xhtml + "p")!.Value);
    }

    [Fact]
    public void Fault_table_reports_recovery_per_window()
    {
        var (_, document, _) = RenderSample();

        var cells = document.Descendants(Xhtml + "section").Single(s => (string?)s.Attribute("id") == "faults")
            .Descendants(Xhtml + "tr").Skip(1).Single().Elements(Xhtml + "td").Select(td => td.Value).ToList();
        Assert.Equal("kill-leader", cells[1]);
        Assert.Equal("recovered", cells[7]);
        Assert.StartsWith("1.50", cells[8]);
    }
}
