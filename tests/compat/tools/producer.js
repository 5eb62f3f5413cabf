'use strict';
// An ali-ons 3.12.0 producer in its own process, driven over stdin/stdout (see common.js).
//
//   node tools/producer.js '{"nameSrv":"127.0.0.1:9876","group":"G","instanceName":"p1"}'
//   stdin : {"cmd":"send","id":1,"messages":[{"topic":"T","tags":"TagA","keys":["k1"],"properties":{"p":"v"},"body":"<base64>"}]}
//           {"cmd":"close"}
//   stdout: {"type":"ready"}
//           {"type":"sent","id":1,"results":[{"ok":true,"msgId":"...","queueId":0,"queueOffset":3}|{"ok":false,"error":"...","code":14}]}
//           {"type":"closed"}
// The messages of one command are sent one after the other, each awaited: a result is an acknowledged send.

const { Producer, Message } = require('ali-ons');
const MQProducer = require('ali-ons/lib/producer/mq_producer');
const { emit, aliOnsOptions, readConfig, onCommands } = require('./common');

function toAliOnsMessage(spec) {
  const msg = new Message(spec.topic, spec.tags, Buffer.from(spec.body, 'base64'));
  if (spec.keys && spec.keys.length) msg.keys = spec.keys;
  for (const [name, value] of Object.entries(spec.properties || {})) msg.properties[name] = value;
  return msg;
}

async function sendOne(producer, spec) {
  try {
    const result = await producer.send(toAliOnsMessage(spec));
    return { ok: result.sendStatus === 'SEND_OK', status: result.sendStatus, msgId: result.msgId,
      queueId: Number(result.messageQueue.queueId), queueOffset: result.queueOffset };
  } catch (err) {
    return { ok: false, error: err.message, code: err.code === undefined ? null : err.code };
  }
}

async function main() {
  const config = readConfig();
  const producer = new Producer({ ...aliOnsOptions(config, 'producer'), producerGroup: config.group });
  producer.on('error', err => process.stderr.write(`[producer] error event: ${err.message}\n`));
  await producer.ready();
  emit({ type: 'ready' });

  const close = async () => {
    await producer.close();
    // Every ali-ons client also starts the process-wide inner producer; it stays open until closed explicitly.
    if (MQProducer.defaultProducer) await MQProducer.defaultProducer.close();
    emit({ type: 'closed' });
    process.exit(0);
  };
  onCommands(async command => {
    if (command.cmd === 'send') {
      const results = [];
      for (const spec of command.messages) results.push(await sendOne(producer, spec));
      emit({ type: 'sent', id: command.id, results });
    } else if (command.cmd === 'close') {
      await close();
    } else {
      throw new Error(`unknown command ${command.cmd}`);
    }
  }, close);
}

main().catch(err => {
  emit({ type: 'fatal', error: String(err && err.stack || err) });
  process.exit(1);
});
