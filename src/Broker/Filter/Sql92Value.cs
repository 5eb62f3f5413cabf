namespace RaftMq.Broker.Filter;

/// <summary>The Java types a RocketMQ selector value can have at run time, plus the evaluation error that makes the
/// whole message not match (RocketMQ catches the exception and answers false).</summary>
internal enum Sql92ValueKind : byte
{
    Null,
    Boolean,
    Int,
    Long,
    Double,
    String,
    Error,
}

/// <summary>
/// One evaluated value, a plain struct so that evaluation allocates nothing: numbers and booleans inline, strings
/// either as a compiled constant's UTF-8 bytes or as a slice (start, length) of the message's property bytes.
/// </summary>
internal readonly struct Sql92Value
{
    private readonly long _integer;
    private readonly double _double;
    private readonly byte[]? _constantUtf8;
    private readonly int _start;
    private readonly int _length;

    private Sql92Value(Sql92ValueKind kind, long integer = 0, double number = 0, byte[]? constantUtf8 = null, int start = 0, int length = 0)
    {
        Kind = kind;
        _integer = integer;
        _double = number;
        _constantUtf8 = constantUtf8;
        _start = start;
        _length = length;
    }

    public Sql92ValueKind Kind { get; }

    public static Sql92Value Null => default;

    public static Sql92Value Error => new(Sql92ValueKind.Error);

    public static Sql92Value True => new(Sql92ValueKind.Boolean, 1);

    public static Sql92Value False => new(Sql92ValueKind.Boolean, 0);

    public static Sql92Value Of(bool value) => value ? True : False;

    public static Sql92Value OfInt(int value) => new(Sql92ValueKind.Int, value);

    public static Sql92Value OfLong(long value) => new(Sql92ValueKind.Long, value);

    public static Sql92Value OfDouble(double value) => new(Sql92ValueKind.Double, number: value);

    public static Sql92Value OfConstantString(byte[] utf8) => new(Sql92ValueKind.String, constantUtf8: utf8);

    public static Sql92Value OfPropertySlice(int start, int length) => new(Sql92ValueKind.String, start: start, length: length);

    public bool IsNull => Kind == Sql92ValueKind.Null;

    public bool IsError => Kind == Sql92ValueKind.Error;

    public bool Boolean => _integer != 0;

    public int Int => (int)_integer;

    public long Long => _integer;

    public double Double => _double;

    /// <summary>Int, Long or Double.</summary>
    public bool IsNumber => Kind is Sql92ValueKind.Int or Sql92ValueKind.Long or Sql92ValueKind.Double;

    public bool IsTrue => Kind == Sql92ValueKind.Boolean && _integer != 0;

    public bool IsFalse => Kind == Sql92ValueKind.Boolean && _integer == 0;

    /// <summary>A string's UTF-8 bytes (a property value is read from <paramref name="properties"/>).</summary>
    public ReadOnlySpan<byte> Utf8(ReadOnlySpan<byte> properties) =>
        _constantUtf8 is not null ? _constantUtf8 : properties.Slice(_start, _length);

    /// <summary>The number widened to double (Int, Long or Double).</summary>
    public double AsDouble => Kind == Sql92ValueKind.Double ? _double : _integer;
}
