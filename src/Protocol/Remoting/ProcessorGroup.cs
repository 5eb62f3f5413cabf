using System.Threading.Channels;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;

namespace RaftMq.Protocol.Remoting;

/// <summary>
/// Sizing of one processor group: a bounded request queue served by a few workers. <paramref name="MaxInFlight"/>
/// bounds the requests started and not yet answered; 0 means <paramref name="WorkerCount"/>, so each worker waits for
/// its handler to finish. A larger bound lets a worker move on once its handler awaits (a send waiting for its commit),
/// as Java's asynchronous processors release their thread.
/// </summary>
public sealed record ProcessorGroupOptions(string Name, int WorkerCount = 4, int QueueCapacity = 10_000, int MaxInFlight = 0)
{
    public int EffectiveMaxInFlight => MaxInFlight == 0 ? WorkerCount : MaxInFlight;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("Processor group name must not be empty.", nameof(Name));
        if (WorkerCount < 1) throw new ArgumentOutOfRangeException(nameof(WorkerCount), WorkerCount, $"Processor group '{Name}': WorkerCount must be at least 1.");
        if (QueueCapacity < 1) throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, $"Processor group '{Name}': QueueCapacity must be at least 1.");
        if (MaxInFlight < 0) throw new ArgumentOutOfRangeException(nameof(MaxInFlight), MaxInFlight, $"Processor group '{Name}': MaxInFlight must not be negative.");
    }
}

/// <summary>
/// Runs handlers of one request-code group on its own workers. The queue is bounded: when it is full the request
/// is answered SYSTEM_BUSY at once (Java's "[OVERLOAD]" flow control), never queued without limit. A worker takes
/// the next request once the previous handler has finished or is awaiting, while fewer than MaxInFlight requests are
/// unanswered; so waiting handlers (a send waiting for its commit) neither hold a worker nor grow without bound.
/// </summary>
internal sealed class ProcessorGroup
{
    private readonly Channel<WorkItem> _queue;
    private readonly Task[] _workers;
    private readonly CancellationToken _stopping;
    private readonly SemaphoreSlim _inFlight;
    private readonly int _maxInFlight;

    public ProcessorGroup(ProcessorGroupOptions options, CancellationToken stopping)
    {
        options.Validate();
        Options = options;
        _stopping = stopping;
        _maxInFlight = options.EffectiveMaxInFlight;
        _inFlight = new SemaphoreSlim(_maxInFlight, _maxInFlight);
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = options.WorkerCount == 1,
        });
        _workers = new Task[options.WorkerCount];
        for (int i = 0; i < _workers.Length; i++) _workers[i] = Task.Run(WorkAsync);
    }

    public ProcessorGroupOptions Options { get; }

    /// <summary>False when the queue is full (or the group stopped).</summary>
    public bool TryEnqueue(in WorkItem item) => _queue.Writer.TryWrite(item);

    /// <summary>Stops taking requests; completes once the queued and started ones are answered.</summary>
    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
        for (int i = 0; i < _maxInFlight; i++) await _inFlight.WaitAsync().ConfigureAwait(false);
    }

    private async Task WorkAsync()
    {
        var reader = _queue.Reader;
        while (true)
        {
            // The permit is taken before the request, so a request leaves the queue only when it can start.
            await _inFlight.WaitAsync().ConfigureAwait(false);
            if (!await WaitForRequestAsync(reader).ConfigureAwait(false))
            {
                _inFlight.Release();
                return;
            }
            // Runs the handler up to its first await; the permit, not the worker, waits for the answer.
            if (reader.TryRead(out var item)) _ = ExecuteAsync(item);
            else _inFlight.Release(); // another worker took it
        }
    }

    private static async ValueTask<bool> WaitForRequestAsync(ChannelReader<WorkItem> reader) =>
        reader.TryPeek(out _) || await reader.WaitToReadAsync().ConfigureAwait(false);

    /// <summary>Runs one request to its answer and then returns its in-flight permit; never throws.</summary>
    private async Task ExecuteAsync(WorkItem item)
    {
        var context = new RemotingContext(item.Connection, item.Request);
        try
        {
            var response = await item.Handler.HandleAsync(context, item.Request, _stopping).ConfigureAwait(false);
            if (response is not null) await context.RespondAsync(response, _stopping).ConfigureAwait(false);
        }
        catch (RemotingException) when (!item.Connection.IsOpen)
        {
            // The requester's connection is gone; there is no one left to answer.
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            item.Connection.Report(RemotingDiagnosticKind.HandlerFailed, $"handler for code {item.Request.Code} failed: {ex.Message}", ex);
            string remark = ex is HeaderFieldException or RemotingProtocolException ? ex.Message : ex.GetType().Name + ": " + ex.Message;
            if (!item.Request.IsOneway) item.Connection.TrySend(item.Request.CreateResponse(ResponseCode.SystemError, remark));
        }
        finally
        {
            _inFlight.Release();
        }
    }
}

/// <summary>A request waiting for a worker.</summary>
internal readonly record struct WorkItem(RemotingConnection Connection, RemotingCommand Request, IRemotingRequestHandler Handler);
