using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Tests.Fakes;

internal sealed partial class FakeBroker
{
    private readonly List<ParkedPull> _parked = [];
    private readonly Dictionary<(string Group, string Topic, int QueueId), long> _consumerOffsets = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _pullsByTopic = new(StringComparer.Ordinal);

    /// <summary>The <c>suggestWhichBrokerId</c> of every pull answer (0, the master, unless a test sets it).</summary>
    public long SuggestBrokerId { get; set; }

    /// <summary>PULL_MESSAGE requests received for <paramref name="topic"/>.</summary>
    public int PullCount(string topic) => _pullsByTopic.GetValueOrDefault(topic);

    /// <summary>The offset the group committed for the queue, or -1.</summary>
    public long ConsumerOffset(string group, string topic, int queueId)
    {
        lock (_lock) return _consumerOffsets.TryGetValue((group, topic, queueId), out long offset) ? offset : -1;
    }

    private RemotingCommand? Pull(RemotingContext context, RemotingCommand request)
    {
        var header = PullMessageRequestHeader.FromExtFields(request.ExtFields);
        _pullsByTopic.AddOrUpdate(header.Topic, 1, (_, count) => count + 1);
        var response = TryPull(request, header, allowPark: PullSysFlag.HasSuspend(header.SysFlag), firstRun: true);
        if (response is not null) return response;
        long wait = Math.Min(header.SuspendTimeoutMillis, 15_000);
        lock (_lock) _parked.Add(new ParkedPull(context, request, header, Environment.TickCount64 + wait));
        return null;
    }

    /// <summary>
    /// The pull table of the wire spec §12; null when the request should be parked (long polling). As in Java, only
    /// the first run of a request commits its offset: a parked request re-run later must not move the offset back.
    /// </summary>
    private RemotingCommand? TryPull(RemotingCommand request, PullMessageRequestHeader header, bool allowPark, bool firstRun)
    {
        lock (_lock)
        {
            if (firstRun && PullSysFlag.HasCommitOffset(header.SysFlag) && header.CommitOffset >= 0)
            {
                _consumerOffsets[(header.ConsumerGroup, header.Topic, header.QueueId)] = header.CommitOffset;
            }
            if (!_topics.TryGetValue(header.Topic, out int queues)) return request.CreateResponse(ResponseCode.TopicNotExist, "topic not exist");
            if (header.QueueId >= queues) return request.CreateResponse(ResponseCode.SystemError, "queueId out of range");
            var records = _queues.GetValueOrDefault((header.Topic, header.QueueId)) ?? [];
            long max = records.Count;
            long offset = header.QueueOffset;
            if (max == 0) return offset != 0 ? PullReply(request, ResponseCode.PullOffsetMoved, 0, max) : allowPark ? null : PullReply(request, ResponseCode.PullNotFound, 0, max);
            if (offset < 0 || offset > max) return PullReply(request, ResponseCode.PullOffsetMoved, offset < 0 ? 0 : max, max);
            if (offset == max) return allowPark ? null : PullReply(request, ResponseCode.PullNotFound, offset, max);
            var codes = TagCodes(header);
            using var body = new MemoryStream();
            int found = 0;
            long next = offset;
            for (; next < max && found < header.MaxMsgNums && found < 32; next++)
            {
                byte[] record = records[(int)next];
                if (!Matches(record, codes)) continue;
                body.Write(record);
                found++;
            }
            if (found == 0) return PullReply(request, ResponseCode.PullRetryImmediately, next, max);
            var response = PullReply(request, ResponseCode.Success, next, max);
            response.Body = body.ToArray();
            return response;
        }
    }

    private static HashSet<long>? TagCodes(PullMessageRequestHeader header)
    {
        string? expression = PullSysFlag.HasSubscription(header.SysFlag) ? header.Subscription : null;
        if (string.IsNullOrWhiteSpace(expression) || expression.Trim() == "*") return null;
        return [.. expression.Split("||").Select(t => t.Trim()).Where(t => t.Length > 0).Select(t => (long)JavaStringHash.Compute(t))];
    }

    private static bool Matches(byte[] record, HashSet<long>? codes)
    {
        if (codes is null) return true;
        var view = StoredMessageView.Read(record);
        return MessageProperties.TryGetValue(view.PropertiesUtf8, "TAGS"u8, out var tag) && codes.Contains(JavaStringHash.ComputeUtf8(tag));
    }

    private RemotingCommand PullReply(RemotingCommand request, int code, long nextBeginOffset, long maxOffset)
    {
        var response = request.CreateResponse(code);
        new PullMessageResponseHeader { SuggestWhichBrokerId = SuggestBrokerId, NextBeginOffset = nextBeginOffset, MinOffset = 0, MaxOffset = maxOffset }
            .ToExtFields(response.ExtFields);
        return response;
    }

    private void WakeLongPolls(string topic, int queueId)
    {
        List<ParkedPull> woken;
        lock (_lock)
        {
            woken = _parked.Where(p => p.Header.Topic == topic && p.Header.QueueId == queueId).ToList();
            foreach (var parked in woken) _parked.Remove(parked);
        }
        foreach (var parked in woken) Answer(parked);
    }

    private async Task ExpireLongPollsAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(20, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            List<ParkedPull> expired;
            lock (_lock)
            {
                long now = Environment.TickCount64;
                expired = _parked.Where(p => p.Deadline <= now).ToList();
                foreach (var parked in expired) _parked.Remove(parked);
            }
            foreach (var parked in expired) Answer(parked);
        }
    }

    private void Answer(ParkedPull parked)
    {
        var response = TryPull(parked.Request, parked.Header, allowPark: false, firstRun: false)!;
        _ = parked.Context.RespondAsync(response).AsTask().ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    private sealed record ParkedPull(RemotingContext Context, RemotingCommand Request, PullMessageRequestHeader Header, long Deadline);
}
