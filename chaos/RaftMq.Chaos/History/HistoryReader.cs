using System.Text;
using System.Text.Json;

namespace RaftMq.Chaos.History;

/// <summary>A parsed history file.</summary>
/// <param name="Ops">Ops in file order.</param>
/// <param name="TornTail">True when the last line was cut off (the writer was killed) and skipped.</param>
public sealed record HistoryFile(IReadOnlyList<HistoryOp> Ops, bool TornTail);

/// <summary>The history file is damaged somewhere other than its last line.</summary>
public sealed class HistoryFormatException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads JSON-lines histories. Only an unterminated last line may be unparseable (a killed writer);
/// any other bad line is corruption and is reported with its line number.
/// </summary>
public static class HistoryReader
{
    public static HistoryFile ReadFile(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        return Parse(text, path);
    }

    public static HistoryFile Parse(string text, string source = "history")
    {
        var ops = new List<HistoryOp>();
        var lines = text.Split('\n');
        var endsWithNewline = text.EndsWith('\n');
        var torn = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var isUnterminatedLast = i == lines.Length - 1 && !endsWithNewline;
            var op = TryParseLine(line, out var error);
            if (op is not null)
            {
                ops.Add(op);
            }
            else if (isUnterminatedLast)
            {
                torn = true;
            }
            else
            {
                throw new HistoryFormatException($"{source}:{i + 1}: not a history op: {error?.Message}", error);
            }
        }

        return new HistoryFile(ops, torn);
    }

    private static HistoryOp? TryParseLine(string line, out Exception? error)
    {
        error = null;
        try
        {
            var op = JsonSerializer.Deserialize(line, HistoryJsonContext.Default.HistoryOp);
            if (op is null)
            {
                error = new JsonException("null op");
            }

            return op;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            error = e;
            return null;
        }
    }
}
