using Microsoft.Extensions.Logging;
using RaftMq.Foundation.Checksums;
using RaftMq.NameServer.Routing;
using RaftMq.Protocol;
using RaftMq.Protocol.Bodies;
using RaftMq.Protocol.Codes;
using RaftMq.Protocol.Frames;
using RaftMq.Protocol.Headers;
using RaftMq.Protocol.Messages;
using RaftMq.Protocol.Remoting;

namespace RaftMq.NameServer.Processing;

/// <summary>Requests brokers send: REGISTER_BROKER (103), UNREGISTER_BROKER (104), QUERY_DATA_VERSION (322).</summary>
internal sealed class BrokerRegistrationProcessor : IRemotingRequestHandler
{
    /// <summary>REGISTER_BROKER's reply body: the order-topic KV table, which this name server never holds.</summary>
    private static readonly byte[] EmptyKvTable = ProtocolJson.Encode(new KvTable());

    private readonly RouteInfoManager _routes;
    private readonly ILogger _logger;

    public BrokerRegistrationProcessor(RouteInfoManager routes, ILogger logger)
    {
        _routes = routes;
        _logger = logger;
    }

    public ValueTask<RemotingCommand?> HandleAsync(RemotingContext context, RemotingCommand request, CancellationToken cancellationToken)
    {
        var response = request.Code switch
        {
            RequestCode.RegisterBroker => Register(context, request),
            RequestCode.UnregisterBroker => Unregister(request),
            RequestCode.QueryDataVersion => QueryDataVersion(request),
            _ => request.CreateResponse(ResponseCode.RequestCodeNotSupported, $" request type {request.Code} not supported"),
        };
        return ValueTask.FromResult<RemotingCommand?>(response);
    }

    /// <summary>RaftMq brokers send their Raft term in this extension field of REGISTER_BROKER.</summary>
    private const string RaftTermField = "raftTerm";

    private RemotingCommand Register(RemotingContext context, RemotingCommand request)
    {
        var header = RegisterBrokerRequestHeader.FromExtFields(request.ExtFields);
        if (header.Compressed)
        {
            LogMessages.RegistrationRefused(_logger, header.BrokerAddr, "compressed body");
            return request.CreateResponse(ResponseCode.SystemError,
                "compressed REGISTER_BROKER bodies are not supported; set compressedRegister=false on the broker");
        }
        if (header.BodyCrc32 != 0 && Crc32Ieee.BodyCrc(request.Body.Span) != header.BodyCrc32)
        {
            LogMessages.RegistrationRefused(_logger, header.BrokerAddr, "body CRC mismatch");
            return request.CreateResponse(ResponseCode.SystemError, "crc32 not match");
        }
        var topics = request.Body.IsEmpty ? null : ProtocolJson.Decode<RegisterBrokerBody>(request.Body.Span).TopicConfigSerializeWrapper;
        long raftTerm = request.ExtFields.TryGetValue(RaftTermField, out var termText)
            && long.TryParse(termText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long parsed) ? parsed : 0;
        var result = _routes.RegisterBroker(new BrokerRegistrationRequest(
            header.ClusterName, header.BrokerName, header.BrokerAddr, header.BrokerId, header.HaServerAddr, topics, context.ConnectionId, raftTerm));
        if (result.StaleMasterClaim)
        {
            LogMessages.RegistrationRefused(_logger, header.BrokerAddr, "master claim with an older Raft term than the registered master");
            return request.CreateResponse(ResponseCode.SystemError,
                $"stale master claim: raft term {raftTerm} is older than that of master {result.MasterAddress}");
        }
        if (result.UnconfirmedMasterClaim)
        {
            RemotingRefusals.Count(RefusalReason.UnconfirmedMasterClaim);
            LogMessages.RegistrationRefused(_logger, LogText.Truncate(header.BrokerAddr), "master claim not confirmed by the group's other members");
            return request.CreateResponse(ResponseCode.SystemError,
                $"master claim at raft term {raftTerm} is not confirmed by the other members of {LogText.Truncate(header.BrokerName)}; " +
                $"{result.MasterAddress} stays master until one of them reports that term");
        }
        if (result.IsNew)
        {
            LogMessages.BrokerRegistered(_logger, header.ClusterName, header.BrokerName, header.BrokerId, header.BrokerAddr,
                topics?.TopicConfigTable.Count ?? 0);
        }

        var response = request.CreateResponse(ResponseCode.Success);
        new RegisterBrokerResponseHeader { MasterAddr = result.MasterAddress, HaServerAddr = result.MasterHaServerAddress }
            .ToExtFields(response.ExtFields);
        response.Body = EmptyKvTable;
        return response;
    }

    private RemotingCommand Unregister(RemotingCommand request)
    {
        var header = BrokerIdentityRequestHeader.FromExtFields(request.ExtFields);
        var removed = _routes.UnregisterBroker(header.BrokerAddr);
        if (removed is not null) LogMessages.BrokerRemoved(_logger, removed.ClusterName, removed.BrokerName, removed.BrokerAddress, removed.Reason, removed.BrokerNameRemoved);
        return request.CreateResponse(ResponseCode.Success);
    }

    private RemotingCommand QueryDataVersion(RemotingCommand request)
    {
        var header = BrokerIdentityRequestHeader.FromExtFields(request.ExtFields);
        var version = ProtocolJson.Decode<DataVersion>(request.Body.Span);
        var result = _routes.QueryDataVersion(header.BrokerAddr, version);
        var response = request.CreateResponse(ResponseCode.Success);
        new QueryDataVersionResponseHeader { Changed = result.Changed }.ToExtFields(response.ExtFields);
        if (result.Stored is { } stored) response.Body = ProtocolJson.Encode(stored);
        return response;
    }
}
