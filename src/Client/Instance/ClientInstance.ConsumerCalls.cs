using System.Diagnostics;
using RaftMq.Client.Consumer;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.Client.Instance;

internal sealed partial class ClientInstance
{
    /// <summary>GET_CONSUMER_RUNNING_INFO (307, passed on by a broker for consumerStatus): the running info of this
    /// instance's consumer of the group, with the instance's own properties added as Java's MQClientInstance adds them.</summary>
    private sealed class ConsumerRunningInfoHandler(ClientInstance instance) : IRemotingRequestHandler
    {
        public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
        {
            var header = GetConsumerRunningInfoRequestHeader.FromExtFields(request.ExtFields);
            var info = instance._members.Keys.Select(member => member.RunningInfo(header.ConsumerGroup)).FirstOrDefault(found => found is not null);
            if (info is null)
            {
                instance._logger.ConsumerCallAnswered(request.Code, header.ConsumerGroup, context.RemoteAddress, "no consumer of the group here");
                return Answer(request.CreateResponse(ResponseCode.SystemError, $"The Consumer Group <{header.ConsumerGroup}> not exist in this consumer"));
            }
            info.Properties[ConsumerRunningInfo.PropNameServerAddr] = string.Join(";", instance.Options.NameServerAddresses);
            info.Properties[ConsumerRunningInfo.PropClientVersion] = MQVersion.Describe(MQVersion.Current);
            if (header.JstackEnable) info.Jstack = TaskSummary();
            instance._logger.ConsumerCallAnswered(request.Code, header.ConsumerGroup, context.RemoteAddress, $"{info.MqTable.Count} queues");
            var response = request.CreateResponse(ResponseCode.Success);
            response.Body = info.Encode();
            return Answer(response);
        }

        /// <summary>.NET has no jstack; what is worth knowing instead: the thread pool and this process's threads.</summary>
        private static string TaskSummary()
        {
            ThreadPool.GetAvailableThreads(out int workers, out int io);
            ThreadPool.GetMaxThreads(out int maxWorkers, out int maxIo);
            return $"process {Environment.ProcessId}: {Process.GetCurrentProcess().Threads.Count} threads; thread pool: {ThreadPool.ThreadCount} threads, "
                + $"{ThreadPool.PendingWorkItemCount} pending work items, {maxWorkers - workers} busy workers, {maxIo - io} busy I/O threads{Environment.NewLine}";
        }
    }

    /// <summary>CONSUME_MESSAGE_DIRECTLY (309, passed on by a broker for consumeMessageDirectly): runs the stored message the
    /// broker put in the body through this instance's consumer of the group and answers how it went.</summary>
    private sealed class ConsumeMessageDirectlyHandler(ClientInstance instance) : IRemotingRequestHandler
    {
        public async ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
        {
            var header = ConsumeMessageDirectlyRequestHeader.FromExtFields(request.ExtFields);
            if (!StoredMessageView.TryRead(request.Body.Span, out var view))
            {
                instance._logger.ConsumerCallAnswered(request.Code, header.ConsumerGroup, context.RemoteAddress, "the body is not a stored message");
                return request.CreateResponse(ResponseCode.SystemError, "the body is not a stored message");
            }
            var message = PulledMessages.ToMessageExt(view.ToDecodedMessage(), header.BrokerName ?? "", header: null, SystemNames.RetryTopic(header.ConsumerGroup));
            foreach (var member in instance._members.Keys)
            {
                if (member.ConsumeDirectlyAsync(header.ConsumerGroup, message, header.BrokerName ?? "") is not { } consuming) continue;
                var result = await consuming.ConfigureAwait(false);
                instance._logger.ConsumerCallAnswered(request.Code, header.ConsumerGroup, context.RemoteAddress, result.ToString());
                var response = request.CreateResponse(ResponseCode.Success);
                response.Body = ProtocolJson.Encode(result);
                return response;
            }
            instance._logger.ConsumerCallAnswered(request.Code, header.ConsumerGroup, context.RemoteAddress, "no consumer of the group here");
            return request.CreateResponse(ResponseCode.SystemError, $"The Consumer Group <{header.ConsumerGroup}> not exist in this consumer");
        }
    }

    private static ValueTask<RemotingCommand?> Answer(RemotingCommand response) => ValueTask.FromResult<RemotingCommand?>(response);
}
