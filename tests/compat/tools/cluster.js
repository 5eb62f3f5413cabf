'use strict';
// A RaftMq cluster (name server + 3-node group, lib/cluster.js) for tests outside node, e.g. the .NET interop test
// in tests/RaftMq.Integration.Tests/Compat. It runs until stdin closes or says {"cmd":"close"}.
//
//   node tools/cluster.js '{"topics":[{"name":"T","queues":4}]}'
//   stdout: {"type":"ready","nameSrv":"127.0.0.1:PORT","leader":"127.0.0.1:PORT","logDir":"..."}
//           {"type":"closed"}

const { RaftMqCluster } = require('../lib/cluster');
const { emit, readConfig, onCommands } = require('./common');

async function main() {
  const config = process.argv.length > 2 ? readConfig() : {};
  const cluster = await RaftMqCluster.start();
  let stopping = null;
  const stop = () => {
    stopping = stopping || cluster.stop().then(() => {
      emit({ type: 'closed' });
      process.exit(0);
    });
    return stopping;
  };
  onCommands(async command => {
    if (command.cmd !== 'close') throw new Error(`unknown command ${command.cmd}`);
    await stop();
  }, stop);
  try {
    for (const topic of config.topics || []) await cluster.createTopic(topic.name, topic.queues || 4);
    const leader = await cluster.leader();
    emit({ type: 'ready', nameSrv: cluster.nameSrv, leader: leader.addr, logDir: cluster.logDir });
  } catch (err) {
    emit({ type: 'fatal', error: `${err.stack}${cluster.logTails()}` });
    await stop();
  }
}

main().catch(err => {
  emit({ type: 'fatal', error: String(err && err.stack || err) });
  process.exit(1);
});
