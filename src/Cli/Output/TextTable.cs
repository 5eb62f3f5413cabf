using System.Text;

namespace RaftMq.Cli.Output;

/// <summary>
/// A plain-text table in the style of mqadmin's listings (<c>#Cluster Name  #Broker Name ...</c>): one header line,
/// columns padded to their widest cell, numbers right-aligned.
/// </summary>
public sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Length == 0) throw new ArgumentException("a table needs at least one column", nameof(headers));
        _headers = headers;
        _rightAligned = new bool[headers.Length];
    }

    public int RowCount => _rows.Count;

    /// <summary>Right-aligns the named columns (counts, offsets, latencies).</summary>
    public TextTable AlignRight(params string[] headers)
    {
        foreach (string header in headers)
        {
            int index = Array.IndexOf(_headers, header);
            if (index < 0) throw new ArgumentException($"no column '{header}'", nameof(headers));
            _rightAligned[index] = true;
        }
        return this;
    }

    public TextTable AddRow(params object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _headers.Length)
            throw new ArgumentException($"expected {_headers.Length} cells, got {cells.Length}", nameof(cells));
        _rows.Add(Array.ConvertAll(cells, cell => Convert.ToString(cell, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
        return this;
    }

    public override string ToString()
    {
        var widths = new int[_headers.Length];
        for (int column = 0; column < _headers.Length; column++)
        {
            widths[column] = _headers[column].Length + 1;
            foreach (var row in _rows) widths[column] = Math.Max(widths[column], row[column].Length);
        }

        var text = new StringBuilder();
        AppendLine(text, Array.ConvertAll(_headers, header => "#" + header), widths, header: true);
        foreach (var row in _rows) AppendLine(text, row, widths, header: false);
        return text.ToString();
    }

    private void AppendLine(StringBuilder text, string[] cells, int[] widths, bool header)
    {
        for (int column = 0; column < cells.Length; column++)
        {
            bool last = column == cells.Length - 1;
            string cell = cells[column];
            if (_rightAligned[column] && !header) text.Append(cell.PadLeft(widths[column]));
            else text.Append(last ? cell : cell.PadRight(widths[column]));
            if (!last) text.Append("  ");
        }
        // Trailing spaces of a right-aligned or padded last column are noise in copied output.
        while (text.Length > 0 && text[^1] == ' ') text.Length--;
        text.AppendLine();
    }
}
