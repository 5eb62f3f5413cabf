namespace RaftMq.Protocol.Messages;

/// <summary>Well-known message property names (<c>MessageConst.PROPERTY_*</c>).</summary>
public static class MessageProperty
{
    public const string Keys = "KEYS";
    public const string Tags = "TAGS";
    public const string WaitStoreMsgOk = "WAIT";
    public const string DelayTimeLevel = "DELAY";
    public const string RetryTopic = "RETRY_TOPIC";
    public const string RealTopic = "REAL_TOPIC";
    public const string RealQueueId = "REAL_QID";
    public const string TransactionPrepared = "TRAN_MSG";
    public const string ProducerGroup = "PGROUP";
    public const string MinOffset = "MIN_OFFSET";
    public const string MaxOffset = "MAX_OFFSET";
    public const string BuyerId = "BUYER_ID";
    public const string OriginMessageId = "ORIGIN_MESSAGE_ID";
    public const string TransferFlag = "TRANSFER_FLAG";
    public const string CorrectionFlag = "CORRECTION_FLAG";
    public const string MqReplayFlag = "MQ_REPLAY_FLAG";
    public const string ReconsumeTime = "RECONSUME_TIME";
    public const string MsgRegion = "MSG_REGION";
    public const string TraceSwitch = "TRACE_ON";
    public const string UniqueClientMessageIdKeyIndex = "UNIQ_KEY";
    public const string MaxReconsumeTimes = "MAX_RECONSUME_TIMES";
    public const string ConsumeStartTimestamp = "CONSUME_START_TIME";
    public const string TransactionPreparedQueueOffset = "TRAN_PREPARED_QUEUE_OFFSET";
    public const string TransactionCheckTimes = "TRANSACTION_CHECK_TIMES";
    public const string CheckImmunityTimeInSeconds = "CHECK_IMMUNITY_TIME_IN_SECONDS";
    public const string InstanceId = "INSTANCE_ID";
    public const string CorrelationId = "CORRELATION_ID";
    public const string MessageReplyToClient = "REPLY_TO_CLIENT";
    public const string MessageTtl = "TTL";
    public const string ReplyMessageArriveTime = "ARRIVE_TIME";
    public const string PushReplyTime = "PUSH_REPLY_TIME";
    public const string Cluster = "CLUSTER";
    public const string MessageType = "MSG_TYPE";
    public const string InnerMultiDispatch = "INNER_MULTI_DISPATCH";
    public const string InnerMultiQueueOffset = "INNER_MULTI_QUEUE_OFFSET";
    public const string TransactionId = "__transactionId__";

    /// <summary>RaftMq's: on a delayed message re-delivered into its real topic, where it waited:
    /// "{schedule queue id},{schedule queue offset}". Applying it advances that schedule queue's progress on every
    /// replica, so a new leader resumes exactly after the last committed re-delivery. Producers may not set it.</summary>
    public const string ScheduledFrom = "RMQ_SCHEDULED_FROM";

    /// <summary>Delivery time in Unix milliseconds (Aliyun ONS, ali-ons <c>setStartDeliverTime</c>); Apache 4.x ignores
    /// it, RaftMq honours it through the delay levels.</summary>
    public const string StartDeliverTime = "__STARTDELIVERTIME";

    /// <summary>Aliyun ONS only (ali-ons); Apache 4.x ignores it.</summary>
    public const string ShardingKey = "__SHARDING_KEY";

    /// <summary>Separator of multiple keys inside <see cref="Keys"/>.</summary>
    public const string KeySeparator = " ";
}

/// <summary>Reserved topic and group names.</summary>
public static class SystemNames
{
    /// <summary>Template topic for auto-creation.</summary>
    public const string AutoCreateTopicKeyTopic = "TBW102";
    public const string ScheduleTopic = "SCHEDULE_TOPIC_XXXX";
    public const string TransactionHalfTopic = "RMQ_SYS_TRANS_HALF_TOPIC";
    public const string TransactionOpHalfTopic = "RMQ_SYS_TRANS_OP_HALF_TOPIC";

    /// <summary>Where half messages go that were checked <c>transactionCheckMax</c> times without an outcome.</summary>
    public const string TransactionCheckMaxTimeTopic = "TRANS_CHECK_MAX_TIME_TOPIC";

    /// <summary>Where clients with message trace on write their trace records (RocketMQ's RMQ_SYS_TRACE_TOPIC); brokers
    /// create it with one queue when <c>traceTopicEnable=true</c>.</summary>
    public const string TraceTopic = "RMQ_SYS_TRACE_TOPIC";

    /// <summary>Producer group of a client's trace writer: this prefix, '-', the traced producer's or consumer's group.</summary>
    public const string TraceProducerGroupPrefix = "_INNER_TRACE_PRODUCER";
    public const string RetryGroupTopicPrefix = "%RETRY%";
    public const string DlqGroupTopicPrefix = "%DLQ%";
    public const string ClientInnerProducerGroup = "CLIENT_INNER_PRODUCER";
    public const string DefaultProducerGroup = "DEFAULT_PRODUCER";
    public const string DefaultConsumerGroup = "DEFAULT_CONSUMER";

    public static string RetryTopic(string consumerGroup) => RetryGroupTopicPrefix + consumerGroup;

    public static string DlqTopic(string consumerGroup) => DlqGroupTopicPrefix + consumerGroup;

    public static bool IsRetryTopic(string topic) => topic.StartsWith(RetryGroupTopicPrefix, StringComparison.Ordinal);

    public static bool IsDlqTopic(string topic) => topic.StartsWith(DlqGroupTopicPrefix, StringComparison.Ordinal);
}
