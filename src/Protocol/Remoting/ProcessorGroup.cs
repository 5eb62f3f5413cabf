using System.Threading.Channels;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;

namespace RaftMq.Protocol.Remoting;

/// <summary>Sizing of one processor group: a bounded request queue served by a few workers.</summary>
public sealed record ProcessorGroupOptions(string Name, int WorkerCount = 4, int QueueCapacity = 10_000)
{
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("Processor group name must not be empty.", nameof(Name));
        if (WorkerCount < 1) throw new ArgumentOutOfRangeException(nameof(WorkerCount), WorkerCount, $"Processor group '{Name}': WorkerCount must be at least 1.");
        if (QueueCapacity < 1) throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, $"Processor group '{Name}': QueueCapacity must be at least 1.");
    }
}

/// <summary>
/// Runs handlers of one request-code group on its own workers. The queue is bounded: when it is full the request
/// is answered SYSTEM_BUSY at once (Java's "[OVERLOAD]" flow control), never queued without limit.
/// </summary>
internal sealed class ProcessorGroup
{
    private readonly Channel<WorkItem> _queue;
    private readonly Task[] _workers;
    private readonly CancellationToken _stopping;

    public ProcessorGroup(ProcessorGroupOptions options, CancellationToken stopping)
    {
        options.Validate();
        Options = options;
        _stopping = stopping;
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

    public Task StopAsync()
    {
        _queue.Writer.TryComplete();
        return Task.WhenAll(_workers);
    }

    private async Task WorkAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item)) await ExecuteAsync(item).ConfigureAwait(false);
        }
    }

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
    }
}

/// <summary>A request waiting for a worker.</summary>
internal readonly record struct WorkItem(RemotingConnection Connection, RemotingCommand Request, IRemotingRequestHandler Handler);
