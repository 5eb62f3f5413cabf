using System.Globalization;

namespace RaftMq.Chaos.History;

/// <summary>Well-known notes the harness writes so that <c>check</c> can recover the run's parameters.</summary>
public static class RunNotes
{
    /// <summary>First op of a run: parameters such as flushDiskType, nodes, seed.</summary>
    public const string RunParameters = "run-parameters";

    /// <summary>Written after the final drain; field <see cref="FullDrainField"/> says whether it completed.</summary>
    public const string DrainComplete = "drain-complete";

    public const string FlushDiskTypeField = "flushDiskType";
    public const string OrderedKeysField = "orderedKeys";
    public const string FullDrainField = "full";
    public const string StartedAtField = "startedAt";

    public static NoteOp Parameters(long timeUs, DateTimeOffset startedAt, IReadOnlyDictionary<string, string> parameters)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [StartedAtField] = startedAt.ToString("O", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in parameters)
        {
            fields[key] = value;
        }

        return new NoteOp(RunParameters, timeUs, fields);
    }

    public static NoteOp Drained(long timeUs, bool full, int missing) =>
        new(DrainComplete, timeUs, new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [FullDrainField] = full ? "true" : "false",
            ["missing"] = missing.ToString(CultureInfo.InvariantCulture),
        });
}
