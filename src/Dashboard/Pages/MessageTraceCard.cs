using System.Text;
using RaftMq.Client;
using RaftMq.Client.Trace;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Messages;
using static RaftMq.Dashboard.Html.Html;

namespace RaftMq.Dashboard.Pages;

/// <summary>
/// The trace of one message on its page (as <c>raftmq admin queryMsgTraceById</c>, docs/trace.md): its sends and every
/// delivery to a consumer group, read from the default trace topic by the message id when the page loads (one query per
/// broker group; never polled).
/// </summary>
internal static class MessageTraceCard
{
    public static async Task<string> RenderAsync(DashboardServices services, string msgId, CancellationToken cancellationToken)
    {
        var html = new StringBuilder("<div class=\"card\" id=\"message-trace\"><h2>Trace</h2>");
        var read = await services.ReadAsync($"the trace of {msgId}", t => QueryAsync(services, msgId, t), cancellationToken).ConfigureAwait(false);
        if (!read.Ok) return html.Append(read.Failure).Append("</div>").ToString();
        if (read.Value is not { } view)
        {
            return html.Append("<p class=\"muted\">No trace topic (").Append(E(SystemNames.TraceTopic))
                .Append("): message trace is off in this cluster (brokers: traceTopicEnable=true; clients: --trace). See docs/trace.md.</p></div>").ToString();
        }
        if (view.IsEmpty)
        {
            return html.Append("<p class=\"muted\">No trace record names this message: its producer and consumers did not trace it (--trace, enableMsgTrace), ")
                .Append("or the records are not written yet.</p></div>").ToString();
        }
        html.Append(Table("trace-sends", ["producer group", "client", "sent", "stored on", "cost", "result"],
            view.Sends.Select(s => (IReadOnlyList<string>)[E(s.ProducerGroup), $"<span class=\"mono\">{E(s.ClientHost)}</span>", Time(s.SendTime),
                $"<span class=\"mono\">{E(s.StoreHost)}</span>", $"{N(s.CostMs)} ms", s.Success ? Badge("SEND_OK", "ok") : Badge("failed", "down")]).ToList(),
            "no send recorded"));
        if (view.TransactionEnds.Count > 0)
        {
            html.Append(Table("trace-transaction-ends", ["producer group", "client", "ended", "broker", "decision", "by check-back"],
                view.TransactionEnds.Select(t => (IReadOnlyList<string>)[E(t.ProducerGroup), $"<span class=\"mono\">{E(t.ClientHost)}</span>", Time(t.EndTime),
                    $"<span class=\"mono\">{E(t.StoreHost)}</span>", Badge(t.State, t.State == "COMMIT_MESSAGE" ? "ok" : "down"),
                    t.FromTransactionCheck ? "yes" : "no"]).ToList(),
                "no transaction end recorded"));
        }
        html.Append(Table("trace-consumes", ["consumer group", "client", "delivered", "retry", "cost", "result"],
            view.Consumes.Select(c => (IReadOnlyList<string>)[E(c.ConsumerGroup), $"<span class=\"mono\">{E(c.ClientHost)}</span>", Time(c.ConsumeTime),
                N(c.RetryTimes), c.CostMs is { } cost ? $"{N(cost)} ms" : "-",
                c.ReturnType is { } result ? Badge(result, c.Success == true ? "ok" : "down") : Badge("no result yet", "kind")]).ToList(),
            "no delivery recorded"));
        return html.Append("</div>").ToString();
    }

    /// <summary>The trace, or null when the trace topic does not exist.</summary>
    private static async Task<MessageTraceView?> QueryAsync(DashboardServices services, string msgId, CancellationToken cancellationToken)
    {
        try
        {
            return await services.Cluster.Admin.QueryMessageTraceAsync(msgId, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (MQClientException e) when (e.ResponseCode == ResponseCode.TopicNotExist)
        {
            return null;
        }
    }
}
