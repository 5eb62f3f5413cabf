using System.Text;

namespace RaftMq.Client.Trace;

/// <summary>A trace message ready to be sent: its body (records back to back), its keys and how many records it holds.</summary>
internal readonly record struct TraceMessageBatch(string Body, IReadOnlyCollection<string> Keys, int Records);

/// <summary>The trace message a <see cref="TraceDispatcher"/> is filling: records are encoded as they are added.</summary>
internal sealed class PendingTraceMessage
{
    private readonly StringBuilder _body = new(4096);
    private HashSet<string> _keys = new(StringComparer.Ordinal);
    private int _keysChars;

    public int Records { get; private set; }

    public void Add(TraceRecord record)
    {
        TraceDataCodec.Append(_body, record);
        Records++;
        AddKey(record.MsgId);
        AddKey(record.Keys);
    }

    /// <summary>Whether the message has reached one of its limits and should be sent now.</summary>
    public bool IsFull(TraceDispatcherSettings settings) =>
        Records >= settings.MaxRecordsPerMessage || _body.Length >= settings.MaxBodyChars || _keysChars >= settings.MaxKeysChars;

    /// <summary>The message as it stands; this one starts empty again.</summary>
    public TraceMessageBatch Take()
    {
        var batch = new TraceMessageBatch(_body.ToString(), _keys, Records);
        _body.Clear();
        _keys = new HashSet<string>(StringComparer.Ordinal);
        _keysChars = 0;
        Records = 0;
        return batch;
    }

    private void AddKey(string? key)
    {
        // KEYS joins them with a space on the wire.
        if (!string.IsNullOrEmpty(key) && _keys.Add(key)) _keysChars += key.Length + 1;
    }
}
