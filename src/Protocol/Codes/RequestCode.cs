namespace RaftMq.Protocol.Codes;

/// <summary>
/// Remoting request codes of RocketMQ 4.9.8 (<c>RequestCode.java</c>), named in PascalCase after the Java
/// constants (SEND_MESSAGE_V2 -> SendMessageV2).
/// </summary>
public static class RequestCode
{
    // Produce, consume, offsets, routing, orderly, retry, transactions.
    public const int SendMessage = 10;
    public const int PullMessage = 11;
    public const int QueryMessage = 12;
    public const int QueryBrokerOffset = 13;
    public const int QueryConsumerOffset = 14;
    public const int UpdateConsumerOffset = 15;
    public const int UpdateAndCreateTopic = 17;
    public const int GetAllTopicConfig = 21;
    public const int GetTopicConfigList = 22;
    public const int GetTopicNameList = 23;
    public const int UpdateBrokerConfig = 25;
    public const int GetBrokerConfig = 26;
    public const int TriggerDeleteFiles = 27;
    public const int GetBrokerRuntimeInfo = 28;
    public const int SearchOffsetByTimestamp = 29;
    public const int GetMaxOffset = 30;
    public const int GetMinOffset = 31;
    public const int GetEarliestMsgStoretime = 32;
    public const int ViewMessageById = 33;
    public const int HeartBeat = 34;
    public const int UnregisterClient = 35;
    public const int ConsumerSendMsgBack = 36;
    public const int EndTransaction = 37;
    public const int GetConsumerListByGroup = 38;
    public const int CheckTransactionState = 39;
    public const int NotifyConsumerIdsChanged = 40;
    public const int LockBatchMq = 41;
    public const int UnlockBatchMq = 42;
    public const int GetAllConsumerOffset = 43;
    public const int GetAllDelayOffset = 45;
    public const int CheckClientConfig = 46;

    // ACL administration.
    public const int UpdateAndCreateAclConfig = 50;
    public const int DeleteAclConfig = 51;
    public const int GetBrokerClusterAclInfo = 52;
    public const int UpdateGlobalWhiteAddrsConfig = 53;
    public const int GetBrokerClusterAclConfig = 54;

    // Name server.
    public const int PutKvConfig = 100;
    public const int GetKvConfig = 101;
    public const int DeleteKvConfig = 102;
    public const int RegisterBroker = 103;
    public const int UnregisterBroker = 104;
    public const int GetRouteInfoByTopic = 105;
    public const int GetBrokerClusterInfo = 106;

    // Administration.
    public const int UpdateAndCreateSubscriptionGroup = 200;
    public const int GetAllSubscriptionGroupConfig = 201;
    public const int GetTopicStatsInfo = 202;
    public const int GetConsumerConnectionList = 203;
    public const int GetProducerConnectionList = 204;
    public const int WipeWritePermOfBroker = 205;
    public const int GetAllTopicListFromNameServer = 206;
    public const int DeleteSubscriptionGroup = 207;
    public const int GetConsumeStats = 208;
    public const int SuspendConsumer = 209;
    public const int ResumeConsumer = 210;
    public const int ResetConsumerOffsetInConsumer = 211;
    public const int ResetConsumerOffsetInBroker = 212;
    public const int AdjustConsumerThreadPool = 213;
    public const int WhoConsumeTheMessage = 214;
    public const int DeleteTopicInBroker = 215;
    public const int DeleteTopicInNamesrv = 216;
    public const int GetKvConfigByValue = 217;
    public const int DeleteKvConfigByValue = 218;
    public const int GetKvListByNamespace = 219;
    public const int ResetConsumerClientOffset = 220;
    public const int GetConsumerStatusFromClient = 221;
    public const int InvokeBrokerToResetOffset = 222;
    public const int InvokeBrokerToGetConsumerStatus = 223;
    public const int GetTopicsByCluster = 224;

    public const int QueryTopicConsumeByWho = 300;
    public const int RegisterFilterServer = 301;
    public const int RegisterMessageFilterClass = 302;
    public const int QueryConsumeTimeSpan = 303;
    public const int GetSystemTopicListFromNs = 304;
    public const int GetSystemTopicListFromBroker = 305;
    public const int CleanExpiredConsumeQueue = 306;
    public const int GetConsumerRunningInfo = 307;
    public const int QueryCorrectionOffset = 308;
    public const int ConsumeMessageDirectly = 309;
    public const int SendMessageV2 = 310;
    public const int GetUnitTopicList = 311;
    public const int GetHasUnitSubTopicList = 312;
    public const int GetHasUnitSubUnunitTopicList = 313;
    public const int CloneGroupOffset = 314;
    public const int ViewBrokerStatsData = 315;
    public const int CleanUnusedTopic = 316;
    public const int GetBrokerConsumeStats = 317;
    public const int UpdateNamesrvConfig = 318;
    public const int GetNamesrvConfig = 319;
    public const int SendBatchMessage = 320;
    public const int QueryConsumeQueue = 321;
    public const int QueryDataVersion = 322;
    public const int ResumeCheckHalfMessage = 323;
    public const int SendReplyMessage = 324;
    public const int SendReplyMessageV2 = 325;
    public const int PushReplyMessageToClient = 326;
    public const int AddWritePermOfBroker = 327;
    public const int GetAllProducerInfo = 328;
    public const int DeleteExpiredCommitLog = 329;
}
