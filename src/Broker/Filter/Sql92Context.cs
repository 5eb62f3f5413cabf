using RaftMq.Protocol.Messages;

namespace RaftMq.Broker.Filter;

/// <summary>
/// One message under evaluation: its property bytes and, per property the expression names, where the value is
/// (looked up once, on first use). Lives on the stack; nothing is allocated per message.
/// </summary>
internal ref struct Sql92Context
{
    private const int Unresolved = -2;
    private const int Missing = -1;

    private readonly ReadOnlySpan<byte> _properties;
    private readonly Span<int> _slots;
    private readonly byte[][] _names;

    /// <param name="slots">Two ints per property name, scratch space owned by the caller.</param>
    public Sql92Context(ReadOnlySpan<byte> properties, byte[][] names, Span<int> slots)
    {
        _properties = properties;
        _names = names;
        _slots = slots;
        _slots.Fill(Unresolved);
    }

    public readonly ReadOnlySpan<byte> Properties => _properties;

    /// <summary>A property's value as a string, or NULL when the message does not carry it.</summary>
    public readonly Sql92Value Property(int index)
    {
        int start = _slots[2 * index];
        if (start == Unresolved)
        {
            start = Missing;
            if (MessageProperties.TryGetValue(_properties, _names[index], out var value)
                && _properties.Overlaps(value, out int offset))
            {
                start = offset;
                _slots[(2 * index) + 1] = value.Length;
            }
            _slots[2 * index] = start;
        }
        return start == Missing ? Sql92Value.Null : Sql92Value.OfPropertySlice(start, _slots[(2 * index) + 1]);
    }

    public readonly ReadOnlySpan<byte> Utf8(Sql92Value value) => value.Utf8(_properties);
}
