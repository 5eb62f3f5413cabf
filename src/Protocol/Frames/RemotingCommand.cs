using RaftMq.Protocol.Codes;

namespace RaftMq.Protocol.Frames;

/// <summary>
/// One remoting request or response: the decoded header plus the raw body. Mutable so that handlers can build a
/// response step by step; a command is owned by one party at a time (do not share it across threads while
/// mutating it).
/// </summary>
public sealed class RemotingCommand
{
    /// <summary>Flag bit 0: this command is a response.</summary>
    public const int ResponseFlag = 1 << 0;

    /// <summary>Flag bit 1: the sender expects no response.</summary>
    public const int OnewayFlag = 1 << 1;

    private static int s_lastOpaque;
    private StringMap? _extFields;

    public int Code { get; set; }

    public LanguageCode Language { get; set; } = LanguageCode.Java;

    public int Version { get; set; } = MQVersion.Current;

    /// <summary>Request id; the response echoes it. The only correlation key on a connection.</summary>
    public int Opaque { get; set; }

    public int Flag { get; set; }

    public string? Remark { get; set; }

    /// <summary>The "custom header": created on first access, so commands without fields allocate nothing.</summary>
    public StringMap ExtFields => _extFields ??= new StringMap();

    /// <summary>True when <see cref="ExtFields"/> has been created and holds at least one entry.</summary>
    public bool HasExtFields => _extFields is { Count: > 0 };

    public ReadOnlyMemory<byte> Body { get; set; }

    public SerializeType SerializeType { get; set; } = SerializeType.Json;

    public bool IsResponse => (Flag & ResponseFlag) != 0;

    public bool IsOneway => (Flag & OnewayFlag) != 0;

    /// <summary>A new request with a process-unique opaque.</summary>
    public static RemotingCommand CreateRequest(int code) =>
        new() { Code = code, Opaque = NextOpaque() };

    /// <summary>A new request carrying <paramref name="extFields"/> (taken over, not copied).</summary>
    public static RemotingCommand CreateRequest(int code, StringMap extFields)
    {
        var request = CreateRequest(code);
        request._extFields = extFields;
        return request;
    }

    /// <summary>Next value of the process-wide opaque counter (wraps around like Java's AtomicInteger).</summary>
    public static int NextOpaque() => Interlocked.Increment(ref s_lastOpaque);

    /// <summary>
    /// A response to this request: response flag set, opaque and serialize type echoed, as Java's
    /// NettyRemotingAbstract does before writing it.
    /// </summary>
    public RemotingCommand CreateResponse(int code, string? remark = null) => new()
    {
        Code = code,
        Remark = remark,
        Opaque = Opaque,
        Flag = ResponseFlag,
        SerializeType = SerializeType,
    };

    /// <summary>Turns this command into a response to <paramref name="request"/> (flag, opaque, serialize type).</summary>
    public void MakeResponseTo(RemotingCommand request)
    {
        Flag |= ResponseFlag;
        Opaque = request.Opaque;
        SerializeType = request.SerializeType;
    }

    public void MarkResponse() => Flag |= ResponseFlag;

    public void MarkOneway() => Flag |= OnewayFlag;

    /// <summary>Replaces the extFields map (taken over, not copied).</summary>
    public void SetExtFields(StringMap? extFields) => _extFields = extFields;

    /// <summary>The extFields map if one was created, without creating it.</summary>
    public StringMap? ExtFieldsOrNull => _extFields;

    public override string ToString() =>
        $"RemotingCommand[code={Code}, opaque={Opaque}, flag={Flag}, language={Language}, version={Version}, " +
        $"serializeType={SerializeType}, remark={Remark}, extFields={_extFields}, body={Body.Length} bytes]";
}
