using System.Collections.Concurrent;

namespace RaftMq.Broker.Filter;

/// <summary>
/// Compiled selectors by expression text, so that a subscription is compiled once and not on every pull (RocketMQ
/// keeps a similar cache of parse results). Failures are cached too. Bounded: when full it starts over.
/// </summary>
public sealed class Sql92FilterCache
{
    private readonly ConcurrentDictionary<string, (Sql92Filter? Filter, string? Error)> _compiled = new(StringComparer.Ordinal);
    private readonly int _capacity;

    public Sql92FilterCache(int capacity = 1024) => _capacity = capacity;

    /// <summary>One cache for the process: compiled filters hold no per-broker state.</summary>
    public static Sql92FilterCache Shared { get; } = new();

    public bool TryGet(string? expression, out Sql92Filter? filter, out string? error)
    {
        expression ??= "";
        if (!_compiled.TryGetValue(expression, out var entry))
        {
            if (_compiled.Count >= _capacity) _compiled.Clear();
            Sql92Filter.TryCompile(expression, out var compiled, out string? failure);
            entry = _compiled.GetOrAdd(expression, (compiled, failure));
        }
        (filter, error) = entry;
        return filter is not null;
    }
}
