namespace RaftMq.Cli.Output;

/// <summary>
/// Progress of a long-running verb. On a terminal one live line is redrawn in place (carriage return, padded over the
/// previous text, cut to the window width so it never wraps); when the stream is redirected to a file or a pipe,
/// plain lines are written instead: the state at most once per <c>plainInterval</c>, the first one interval after the
/// start (a verb done sooner writes none), and the last state at the end once any was written, so logs and scripts
/// read whole lines.
/// </summary>
/// <remarks>Spectre.Console's live displays would own the console and draw from their own thread; verbs write to a
/// <see cref="TextWriter"/> (a <see cref="StringWriter"/> in tests) and report from their own loop, which this serves
/// in a few lines.</remarks>
public sealed class ProgressLine
{
    private readonly TextWriter _output;
    private readonly TimeSpan _plainInterval;
    private readonly int _width;
    /// <summary>A terminal shows ten redraws a second; more only cost the verb time.</summary>
    private static readonly TimeSpan LiveRedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long? _lastWrite;
    private bool _wrotePlainLine;
    private string? _unwritten;
    private int _shownLength;

    public ProgressLine(TextWriter output, bool live, TimeSpan plainInterval, int width = 0, TimeProvider? time = null)
    {
        _output = output;
        IsLive = live;
        _plainInterval = plainInterval;
        _width = width;
        _time = time ?? TimeProvider.System;
        // Live, the first state shows at once; plain, one interval after the start.
        _lastWrite = live ? null : _time.GetTimestamp();
    }

    /// <summary>True when the line is redrawn in place; false when plain lines are written.</summary>
    public bool IsLive { get; }

    /// <summary>Progress on standard output: live when <paramref name="output"/> is the console and not redirected.</summary>
    public static ProgressLine ForOutput(TextWriter output, TimeSpan plainInterval) =>
        Create(output, ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected, plainInterval);

    /// <summary>Progress on standard error, for verbs whose standard output is their result (JSON, tables).</summary>
    public static ProgressLine ForError(TextWriter error, TimeSpan plainInterval) =>
        Create(error, ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected, plainInterval);

    /// <summary>The current state: redrawn on a terminal (at most ten times a second); written as a line when the
    /// plain interval has passed.</summary>
    public void Report(string text)
    {
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            if (_lastWrite is { } last && _time.GetElapsedTime(last, now) < (IsLive ? LiveRedrawInterval : _plainInterval))
            {
                _unwritten = text;
                return;
            }
            _lastWrite = now;
            _unwritten = null;
            if (IsLive)
            {
                Draw(text);
                return;
            }
            _wrotePlainLine = true;
            _output.WriteLine(text);
        }
    }

    /// <summary>A line that stays (a phase that ended, a result). On a terminal the live line is cleared first and
    /// drawn again by the next <see cref="Report"/>; in plain form a state held back by the interval is dropped, the
    /// line supersedes it.</summary>
    public void WriteLine(string text)
    {
        lock (_lock)
        {
            if (IsLive) Clear();
            _unwritten = null;
            _output.WriteLine(text);
            _output.Flush();
        }
    }

    /// <summary>Ends the progress: the last state stays on screen, or is written if the interval held it back after
    /// earlier lines.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (IsLive)
            {
                if (_unwritten is { } latest) Draw(latest);
                if (_shownLength > 0) _output.WriteLine();
                _shownLength = 0;
            }
            else if (_unwritten is { } last && _wrotePlainLine)
            {
                _output.WriteLine(last);
            }
            _unwritten = null;
            _output.Flush();
        }
    }

    private void Draw(string text)
    {
        if (_width > 1 && text.Length >= _width) text = text[..(_width - 1)];
        _output.Write('\r');
        _output.Write(text.PadRight(_shownLength));
        _shownLength = text.Length;
        _output.Flush();
    }

    private void Clear()
    {
        if (_shownLength == 0) return;
        _output.Write('\r');
        _output.Write(new string(' ', _shownLength));
        _output.Write('\r');
        _shownLength = 0;
    }

    private static ProgressLine Create(TextWriter writer, bool live, TimeSpan plainInterval) =>
        new(writer, live, plainInterval, live ? WindowWidth() : 0);

    private static int WindowWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
