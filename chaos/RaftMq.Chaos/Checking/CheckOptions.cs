using RaftMq.Chaos.History;

namespace RaftMq.Chaos.Checking;

/// <summary>Broker durability mode of the run (RocketMQ <c>flushDiskType</c>).</summary>
public enum FlushDiskType
{
    SyncFlush,
    AsyncFlush,
}

/// <summary>How to judge a history.</summary>
public sealed record CheckOptions
{
    public FlushDiskType FlushDiskType { get; init; } = FlushDiskType.SyncFlush;

    /// <summary>The run ended with a drain that completed; only then is an unseen message a safety anomaly.</summary>
    public bool FullDrain { get; init; }

    /// <summary>Keys were sent with a queue selector so that per-key order is promised and checked.</summary>
    public bool OrderedKeys { get; init; } = true;

    /// <summary>Examples kept per anomaly kind.</summary>
    public int MaxExamples { get; init; } = 10;

    /// <summary>
    /// Under ASYNC_FLUSH, a lost/unseen message acked this long before a power-loss fault started (or during
    /// it) was possibly never synced anywhere and counts as expected loss. Older losses still fail the run.
    /// </summary>
    public TimeSpan PowerLossExposure { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Name of the fault whose windows are power losses.</summary>
    public string PowerLossFaultName { get; init; } = "power-loss";

    public void Validate()
    {
        if (MaxExamples < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxExamples), MaxExamples, "MaxExamples must be >= 0");
        }

        if (PowerLossExposure < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PowerLossExposure), PowerLossExposure, "must be >= 0");
        }
    }

    /// <summary>Options as recorded by the harness in the history's well-known notes.</summary>
    public static CheckOptions FromHistory(IEnumerable<HistoryOp> ops)
    {
        var options = new CheckOptions();
        foreach (var note in ops.OfType<NoteOp>())
        {
            if (note.Fields is null)
            {
                continue;
            }

            if (note.Text == RunNotes.RunParameters)
            {
                if (note.Fields.TryGetValue(RunNotes.FlushDiskTypeField, out var flush))
                {
                    options = options with { FlushDiskType = ParseFlushDiskType(flush) };
                }

                if (note.Fields.TryGetValue(RunNotes.OrderedKeysField, out var ordered))
                {
                    options = options with { OrderedKeys = ordered == "true" };
                }
            }
            else if (note.Text == RunNotes.DrainComplete && note.Fields.TryGetValue(RunNotes.FullDrainField, out var full))
            {
                options = options with { FullDrain = full == "true" };
            }
        }

        return options;
    }

    /// <summary>Parses the RocketMQ spelling (<c>SYNC_FLUSH</c> / <c>ASYNC_FLUSH</c>).</summary>
    public static FlushDiskType ParseFlushDiskType(string value) => value.ToUpperInvariant() switch
    {
        "SYNC_FLUSH" => FlushDiskType.SyncFlush,
        "ASYNC_FLUSH" => FlushDiskType.AsyncFlush,
        _ => throw new ArgumentException($"flushDiskType must be SYNC_FLUSH or ASYNC_FLUSH, got '{value}'", nameof(value)),
    };

    public static string Format(FlushDiskType value) =>
        value == FlushDiskType.AsyncFlush ? "ASYNC_FLUSH" : "SYNC_FLUSH";
}
