using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace RaftMq.Protocol;

/// <summary>
/// An insertion-ordered string-to-string map for remoting extFields and message properties. These maps usually
/// hold a handful of entries, so a list with linear lookup beats hashing and keeps the wire order for byte-exact
/// re-encoding; past <see cref="IndexThreshold"/> entries a hash index is kept beside the list, so a hostile
/// header with many thousands of fields still parses in linear time. Keys are compared ordinally; setting an
/// existing key replaces its value in place.
/// </summary>
public sealed class StringMap : IReadOnlyCollection<KeyValuePair<string, string>>
{
    /// <summary>Entry count from which lookups go through a hash index instead of a linear scan.</summary>
    internal const int IndexThreshold = 16;

    private KeyValuePair<string, string>[] _entries;
    private int _count;
    private Dictionary<string, int>? _index;

    public StringMap() => _entries = [];

    public StringMap(int capacity) => _entries = capacity == 0 ? [] : new KeyValuePair<string, string>[capacity];

    public int Count => _count;

    /// <summary>The value stored under <paramref name="key"/>, or null.</summary>
    public string? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : null;
        set
        {
            if (value is null) Remove(key);
            else Set(key, value);
        }
    }

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        int index = IndexOf(key);
        if (index < 0)
        {
            value = null;
            return false;
        }
        value = _entries[index].Value;
        return true;
    }

    /// <summary>Adds the entry, or replaces the value of an existing key without changing its position.</summary>
    public void Set(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        int index = IndexOf(key);
        if (index >= 0)
        {
            _entries[index] = new(key, value);
            return;
        }
        if (_count == _entries.Length) Array.Resize(ref _entries, Math.Max(4, _count * 2));
        _entries[_count] = new(key, value);
        if (_index is not null) _index[key] = _count;
        _count++;
        if (_index is null && _count > IndexThreshold) BuildIndex();
    }

    public bool Remove(string key)
    {
        int index = IndexOf(key);
        if (index < 0) return false;
        Array.Copy(_entries, index + 1, _entries, index, _count - index - 1);
        _entries[--_count] = default;
        if (_index is not null)
        {
            if (_count > IndexThreshold) BuildIndex();
            else _index = null;
        }
        return true;
    }

    public void Clear()
    {
        Array.Clear(_entries, 0, _count);
        _count = 0;
        _index = null;
    }

    /// <summary>Entry at <paramref name="index"/> in insertion order.</summary>
    public KeyValuePair<string, string> GetAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _entries[index];
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() =>
        GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>True when both maps hold the same entries in the same order.</summary>
    public bool SequenceEqual(StringMap? other)
    {
        if (other is null || other._count != _count) return false;
        for (int i = 0; i < _count; i++)
        {
            if (!string.Equals(_entries[i].Key, other._entries[i].Key, StringComparison.Ordinal)) return false;
            if (!string.Equals(_entries[i].Value, other._entries[i].Value, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    public override string ToString()
    {
        var parts = new string[_count];
        for (int i = 0; i < _count; i++) parts[i] = _entries[i].Key + "=" + _entries[i].Value;
        return "{" + string.Join(", ", parts) + "}";
    }

    private int IndexOf(string key)
    {
        if (_index is not null) return _index.TryGetValue(key, out int indexed) ? indexed : -1;
        for (int i = 0; i < _count; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private void BuildIndex()
    {
        var index = new Dictionary<string, int>(_count, StringComparer.Ordinal);
        for (int i = 0; i < _count; i++) index[_entries[i].Key] = i;
        _index = index;
    }

    /// <summary>Allocation-free enumerator in insertion order.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, string>>
    {
        private readonly StringMap _map;
        private int _index;

        internal Enumerator(StringMap map)
        {
            _map = map;
            _index = -1;
        }

        public readonly KeyValuePair<string, string> Current => _map._entries[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < _map._count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}
