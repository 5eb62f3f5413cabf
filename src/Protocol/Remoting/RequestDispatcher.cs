using System.Collections.Concurrent;
using System.Globalization;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;

namespace RaftMq.Protocol.Remoting;

/// <summary>
/// The processor registry: request code -> (handler, processor group). Used by the server and, for
/// server-initiated requests, by the client. Called from read loops, so it never blocks.
/// </summary>
internal sealed class RequestDispatcher
{
    private readonly ConcurrentDictionary<int, (IRemotingRequestHandler Handler, ProcessorGroup Group)> _routes = new();
    private readonly ConcurrentDictionary<string, ProcessorGroup> _groups = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly IRequestAuthorizer? _authorizer;

    public RequestDispatcher(IRequestAuthorizer? authorizer = null) => _authorizer = authorizer;

    public void AddGroup(ProcessorGroupOptions options)
    {
        options.Validate();
        if (_groups.ContainsKey(options.Name)) throw new InvalidOperationException($"Processor group '{options.Name}' already exists.");
        _groups[options.Name] = new ProcessorGroup(options, _stopping.Token);
    }

    public bool HasGroup(string name) => _groups.ContainsKey(name);

    /// <summary>Every request code with a handler.</summary>
    public IReadOnlyCollection<int> Codes => [.. _routes.Keys];

    public void Register(int code, IRemotingRequestHandler handler, string groupName)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!_groups.TryGetValue(groupName, out var group))
        {
            throw new InvalidOperationException($"Processor group '{groupName}' is not registered; add it before its handlers.");
        }
        _routes[code] = (handler, group);
    }

    public bool Wrap(int code, Func<IRemotingRequestHandler, IRemotingRequestHandler> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        if (!_routes.TryGetValue(code, out var route)) return false;
        _routes[code] = (wrap(route.Handler) ?? throw new InvalidOperationException($"The layer for code {code} returned no handler."), route.Group);
        return true;
    }

    public void Dispatch(RemotingConnection connection, RemotingCommand request)
    {
        if (_authorizer?.Authorize(connection, request) is { } refusal)
        {
            Reply(connection, request, refusal.Code, refusal.Remark);
            return;
        }
        if (!_routes.TryGetValue(request.Code, out var route))
        {
            connection.Report(RemotingDiagnosticKind.RequestCodeNotSupported, $"request code {request.Code} is not supported");
            Reply(connection, request, ResponseCode.RequestCodeNotSupported,
                string.Create(CultureInfo.InvariantCulture, $" request type {request.Code} not supported"));
            return;
        }
        if (!route.Group.TryEnqueue(new WorkItem(connection, request, route.Handler)))
        {
            connection.Report(RemotingDiagnosticKind.SystemBusy, $"processor group '{route.Group.Options.Name}' is full");
            Reply(connection, request, ResponseCode.SystemBusy,
                "[OVERLOAD]system busy, start flow control for a while");
        }
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var group in _groups.Values) await group.StopAsync().ConfigureAwait(false);
    }

    private static void Reply(RemotingConnection connection, RemotingCommand request, int code, string remark)
    {
        if (request.IsOneway) return;
        if (!connection.TrySend(request.CreateResponse(code, remark)))
        {
            connection.Report(RemotingDiagnosticKind.SendFailed, $"write queue full, dropped response code {code} to opaque {request.Opaque}");
        }
    }
}
