using System.Buffers;
using System.Text;
using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Filter;

/// <summary>
/// A compiled RocketMQ SQL92 selector (<c>MessageSelector.bySql</c>). Compile once; <see cref="Matches"/> then reads
/// only the properties the expression names, straight from the message's UTF-8 property bytes, and allocates
/// nothing. A message matches only when the expression is TRUE: FALSE, NULL (unknown, e.g. a missing property)
/// and evaluation errors (e.g. a non-numeric string compared with a number) all mean "no", as in RocketMQ.
/// </summary>
public sealed class Sql92Filter
{
    /// <summary>Property names up to which the per-message scratch space lives on the stack.</summary>
    private const int StackSlots = 32;

    private readonly Sql92Node _root;
    private readonly byte[][] _propertyNames;

    private Sql92Filter(string expression, Sql92Node root, string[] properties)
    {
        Expression = expression;
        _root = root;
        PropertyNames = properties;
        _propertyNames = new byte[properties.Length][];
        for (int i = 0; i < properties.Length; i++) _propertyNames[i] = Encoding.UTF8.GetBytes(properties[i]);
    }

    public string Expression { get; }

    /// <summary>The distinct properties the expression reads.</summary>
    public IReadOnlyList<string> PropertyNames { get; }

    /// <summary>Parses and checks an expression; <see cref="Sql92ParseException"/> names the position and token of the
    /// first problem.</summary>
    public static Sql92Filter Compile(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var (root, properties) = Sql92Parser.Parse(expression);
        return new Sql92Filter(expression, root, properties);
    }

    public static bool TryCompile(string? expression, out Sql92Filter? filter, out string? error)
    {
        filter = null;
        error = null;
        try
        {
            filter = Compile(expression ?? "");
            return true;
        }
        catch (Sql92ParseException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>True when the expression is TRUE for a message with these properties (name \u0001 value \u0002 ...).</summary>
    public bool Matches(ReadOnlySpan<byte> propertiesUtf8)
    {
        int slotCount = 2 * _propertyNames.Length;
        int[]? rented = slotCount > 2 * StackSlots ? ArrayPool<int>.Shared.Rent(slotCount) : null;
        try
        {
            Span<int> slots = rented is null ? stackalloc int[2 * StackSlots] : rented;
            var context = new Sql92Context(propertiesUtf8, _propertyNames, slots[..slotCount]);
            return _root.Evaluate(ref context).IsTrue;
        }
        finally
        {
            if (rented is not null) ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>Like <see cref="Matches"/> for a whole stored message record; false for a record that does not parse.</summary>
    public bool MatchesRecord(ReadOnlySpan<byte> storedRecord) =>
        StoredMessageView.TryRead(storedRecord, out var view) && Matches(view.PropertiesUtf8);

    public override string ToString() => Expression;
}
