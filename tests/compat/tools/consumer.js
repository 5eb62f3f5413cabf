'use strict';
// An ali-ons 3.12.0 push consumer (clustering) in its own process, driven over stdin/stdout (see common.js).
//
//   node tools/consumer.js '{"nameSrv":"127.0.0.1:9876","group":"G","topic":"T","expression":"TagA || TagB",
//                            "consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET","instanceName":"c1","failOnce":["id-3"]}'
//   stdin : {"cmd":"close"}
//   stdout: {"type":"ready"}
//           {"type":"message","action":"ok"|"retry","message":{msgId, topic, tags, keys, properties, body(base64), ...}}
//           {"type":"closed"}
// `failOnce` lists values of the user property `cid`: the first delivery of such a message (reconsumeTimes 0) is
// answered with ACTION_RETRY, so ali-ons sends it back to the broker (CONSUMER_SEND_MSG_BACK) and it comes again
// through %RETRY%<group>.
// A separate process per consumer makes a restart a real restart: ali-ons keeps clients in process-wide singletons.

const { Consumer } = require('ali-ons');
const MQProducer = require('ali-ons/lib/producer/mq_producer');
const { emit, aliOnsOptions, readConfig, onCommands, describeReceived } = require('./common');

async function main() {
  const config = readConfig();
  const failOnce = new Set(config.failOnce || []);
  const consumer = new Consumer({
    ...aliOnsOptions(config, 'consumer'),
    consumerGroup: config.group,
    consumeFromWhere: config.consumeFromWhere || 'CONSUME_FROM_LAST_OFFSET',
  });
  consumer.on('error', err => process.stderr.write(`[consumer] error event: ${err.message}\n`));
  consumer.subscribe(config.topic, config.expression || '*', async msg => {
    const described = describeReceived(msg);
    const retry = msg.reconsumeTimes === 0 && failOnce.has(described.properties.cid);
    emit({ type: 'message', action: retry ? 'retry' : 'ok', message: described });
    return retry ? Consumer.ACTION_RETRY : undefined;
  });
  await consumer.ready();
  emit({ type: 'ready' });

  const close = async () => {
    await consumer.close();
    // The consumer started ali-ons' process-wide inner producer (used for send-back fallbacks); it stays open
    // until closed explicitly.
    if (MQProducer.defaultProducer) await MQProducer.defaultProducer.close();
    emit({ type: 'closed' });
    process.exit(0);
  };
  onCommands(async command => {
    if (command.cmd !== 'close') throw new Error(`unknown command ${command.cmd}`);
    await close();
  }, close);
}

main().catch(err => {
  emit({ type: 'fatal', error: String(err && err.stack || err) });
  process.exit(1);
});
