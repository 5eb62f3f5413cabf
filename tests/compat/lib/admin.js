'use strict';
// Administrative look-ups the tests need (cluster membership, topic creation, queue and consumer offsets), sent
// with ali-ons' own remoting client (MQClientAPI) so that every byte on the wire still comes from ali-ons.

const MQClientAPI = require('ali-ons/lib/mq_client_api');
const RemotingCommand = require('ali-ons/lib/protocol/command/remoting_command');

const GET_BROKER_RUNTIME_INFO = 28;
const GET_BROKER_CLUSTER_INFO = 106;
const PERM_READ_WRITE = 6;
const TIMEOUT_MS = 5000;

const quietLogger = { info() {}, debug() {}, warn() {}, error() {} };

class Admin {
  constructor(nameSrv) {
    this._api = new MQClientAPI({
      nameSrv,
      httpclient: { request: () => Promise.reject(new Error('no HTTP name server lookup')) },
      logger: quietLogger,
    });
    // Connection errors surface as rejected requests too; the event would only be printed by sdk-base.
    this._api.on('error', () => {});
  }

  /** The name server's GET_BROKER_CLUSTER_INFO body: `{brokerAddrTable:{name:{brokerAddrs:{id:addr}}}, ...}`. */
  async clusterInfo() {
    const request = RemotingCommand.createRequestCommand(GET_BROKER_CLUSTER_INFO, null);
    const response = await this._api.invokeForNameSrvAtLeastOnce(request, TIMEOUT_MS);
    if (response.code !== 0) throw new Error(`GET_BROKER_CLUSTER_INFO answered ${response.code}: ${response.remark}`);
    return JSON.parse(response.body.toString());
  }

  /** The broker's GET_BROKER_RUNTIME_INFO key/value table (RaftMq adds raftRole, raftTerm, writable...). */
  async runtimeInfo(brokerAddr) {
    const request = RemotingCommand.createRequestCommand(GET_BROKER_RUNTIME_INFO, null);
    const response = await this._api.invoke(brokerAddr, request, TIMEOUT_MS);
    if (response.code !== 0) throw new Error(`GET_BROKER_RUNTIME_INFO answered ${response.code}: ${response.remark}`);
    return JSON.parse(response.body.toString()).table;
  }

  /** Sends request `code` with `header` to `brokerAddr`; resolves with the raw response (code, remark, extFields). */
  request(brokerAddr, code, header) {
    return this._api.invoke(brokerAddr, RemotingCommand.createRequestCommand(code, header), TIMEOUT_MS);
  }

  /** The topic's route from the name server (throws MQClientException code 17 while the topic is unknown). */
  route(topic) {
    return this._api.getTopicRouteInfoFromNameServer(topic, TIMEOUT_MS);
  }

  /** UPDATE_AND_CREATE_TOPIC on `brokerAddr` (the group leader) with `queueNums` read and write queues. */
  createTopic(brokerAddr, topic, queueNums) {
    return this._api.createTopic(brokerAddr, 'TBW102', {
      topicName: topic,
      readQueueNums: queueNums,
      writeQueueNums: queueNums,
      perm: PERM_READ_WRITE,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
    }, TIMEOUT_MS);
  }

  maxOffset(brokerAddr, topic, queueId) {
    return this._api.getMaxOffset(brokerAddr, topic, queueId, TIMEOUT_MS);
  }

  consumerOffset(brokerAddr, group, topic, queueId) {
    return this._api.queryConsumerOffset(brokerAddr, { consumerGroup: group, topic, queueId }, TIMEOUT_MS);
  }

  close() {
    return this._api.close();
  }
}

module.exports = { Admin };
