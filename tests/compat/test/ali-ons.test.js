'use strict';
// The unmodified npm RocketMQ client ali-ons 3.12.0 producing to and push-consuming (clustering) from a real
// RaftMq cluster: one name server and a 3-node broker group, each a `raftmq` process. Every ali-ons client runs in
// its own process (tools/), so that restarting a consumer is a real restart.

const { describe, test, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { RaftMqCluster } = require('../lib/cluster');
const { Session, acknowledged, cidsOf, killWorkers } = require('../lib/session');
const { makeMessages, rotatingTags, assertSameMessage, byCid } = require('../lib/messages');
const { sleep } = require('../lib/waits');

const QUEUES = 4;

describe('ali-ons 3.12.0 against a 3-node RaftMq group', () => {
  const started = { cluster: null, session: null };
  // Each test asks for the cluster: when it did not start, every test fails (a failing `before` hook would only
  // cancel them, and cancelled tests are not counted as failures by scripts/test.sh).
  const env = {
    get cluster() {
      if (!started.cluster) throw new Error('the RaftMq cluster did not start (see the first test)');
      return started.cluster;
    },
    get session() {
      return started.session || env.cluster;
    },
  };

  afterEach(() => killWorkers());

  after(async () => {
    killWorkers();
    if (started.cluster) await started.cluster.stop();
  });

  // May include building the solution when raftmq.dll is missing.
  test('A RaftMq name server and 3-node group start and register a leader', { timeout: 25 * 60 * 1000 }, async () => {
    started.cluster = await RaftMqCluster.start();
    started.session = new Session(started.cluster);
  });

  test('Tagged, keyed, compressed and non-ASCII messages reach a tag-filtered consumer intact', { timeout: 120000 }, async () => {
    const { cluster, session } = env;
    const topic = 'CompatFilterTopic';
    const group = 'compat_filter_group';
    await cluster.createTopic(topic, QUEUES);
    const consumer = await session.consumer('filter-consumer', { group, topic, expression: 'TagA || TagB' });
    const producer = await session.producer('filter-producer', 'compat_filter_producer');

    const specs = makeMessages(topic, 'filter', 24, rotatingTags);
    const acks = acknowledged(specs, await producer.send(specs));
    const wanted = specs.filter(spec => spec.tags !== 'TagC');
    await session.waitForCids(consumer, cidsOf(wanted));

    const received = byCid(consumer.received);
    for (const spec of wanted) {
      const copies = received.get(spec.properties.cid);
      assert.equal(copies.length, 1, `${spec.properties.cid} delivered ${copies.length} times`);
      assertSameMessage(copies[0], spec, acks.get(spec.properties.cid));
    }
    const filteredOut = cidsOf(specs.filter(spec => spec.tags === 'TagC')).filter(cid => received.has(cid));
    assert.deepEqual(filteredOut, [], 'TagC messages must not reach a "TagA || TagB" subscriber');
    await Promise.all([consumer.close(), producer.close()]);
  });

  test('A SQL92 subscription delivers only the messages whose properties match and commits past the others', { timeout: 120000 }, async () => {
    const { cluster, session } = env;
    const topic = 'CompatSqlTopic';
    const group = 'compat_sql_group';
    await cluster.createTopic(topic, QUEUES);
    const specs = makeMessages(topic, 'sql', 20, rotatingTags);
    // ali-ons passes an object subscription through as expressionType + subString (heartbeat and pulls).
    const expression = { expressionType: 'SQL92', subString: "seq >= 5 AND TAGS = 'TagB'" };
    const matching = specs.filter(spec => Number(spec.properties.seq) >= 5 && spec.tags === 'TagB');
    const consumer = await session.consumer('sql-consumer', { group, topic, expression });
    const producer = await session.producer('sql-producer', 'compat_sql_producer');
    const acks = acknowledged(specs, await producer.send(specs));

    await session.waitForCids(consumer, cidsOf(matching));
    await session.waitForCommittedOffsets(group, topic, QUEUES);

    const received = byCid(consumer.received);
    assert.deepEqual([...received.keys()].sort(), cidsOf(matching).sort(), 'only the matching messages were delivered');
    for (const spec of matching) {
      const copies = received.get(spec.properties.cid);
      assert.equal(copies.length, 1, `${spec.properties.cid} delivered ${copies.length} times`);
      assertSameMessage(copies[0], spec, acks.get(spec.properties.cid));
    }
    await Promise.all([consumer.close(), producer.close()]);
  });

  test('A restarted consumer resumes from its committed offset', { timeout: 150000 }, async () => {
    const { cluster, session } = env;
    const topic = 'CompatRestartTopic';
    const group = 'compat_restart_group';
    await cluster.createTopic(topic, QUEUES);
    const producer = await session.producer('restart-producer', 'compat_restart_producer');
    const first = await session.consumer('restart-consumer-1', { group, topic });

    const beforeRestart = makeMessages(topic, 'before-restart', 12);
    acknowledged(beforeRestart, await producer.send(beforeRestart));
    await session.waitForCids(first, cidsOf(beforeRestart));
    await first.close();
    await session.waitForCommittedOffsets(group, topic, QUEUES);

    // Produced while no consumer of the group runs: only the committed offsets tell the next one where to start.
    const afterRestart = makeMessages(topic, 'after-restart', 12);
    const acks = acknowledged(afterRestart, await producer.send(afterRestart));
    const second = await session.consumer('restart-consumer-2', { group, topic });
    await session.waitForCids(second, cidsOf(afterRestart));

    // Each queue is consumed in order, so a replay of the first batch would have arrived before the second batch.
    const received = byCid(second.received);
    assert.deepEqual(cidsOf(beforeRestart).filter(cid => received.has(cid)), [], 'messages consumed before the restart came again');
    for (const spec of afterRestart) {
      assert.equal(received.get(spec.properties.cid).length, 1, `${spec.properties.cid} delivered more than once`);
      assertSameMessage(received.get(spec.properties.cid)[0], spec, acks.get(spec.properties.cid));
    }
    await Promise.all([second.close(), producer.close()]);
  });

  test('Messages the consumer fails come back once through %RETRY%<group>', { timeout: 150000 }, async () => {
    const { cluster, session } = env;
    const topic = 'CompatRetryTopic';
    const group = 'compat_retry_group';
    const retryTopic = `%RETRY%${group}`;
    await cluster.createTopic(topic, QUEUES);
    const specs = makeMessages(topic, 'retry', 10);
    const failing = [specs[1], specs[4], specs[7]];
    const consumer = await session.consumer('retry-consumer', { group, topic, failOnce: cidsOf(failing) });
    const producer = await session.producer('retry-producer', 'compat_retry_producer');
    const acks = acknowledged(specs, await producer.send(specs));

    await session.waitForCids(consumer, cidsOf(specs));
    await session.waitForCids(consumer, cidsOf(failing), { timeoutMs: 90000, where: m => m.reconsumeTimes > 0 });

    const received = byCid(consumer.received);
    for (const spec of specs) {
      const cid = spec.properties.cid;
      const copies = received.get(cid);
      const fails = failing.includes(spec);
      assert.equal(copies.length, fails ? 2 : 1, `${cid} delivered ${copies.length} times`);
      assertSameMessage(copies[0], spec, acks.get(cid));
      assert.equal(copies[0].reconsumeTimes, 0);
      if (!fails) continue;
      const retry = copies[1];
      assertSameMessage(retry, spec, null);
      assert.equal(retry.reconsumeTimes, 1, `reconsumeTimes of the redelivered ${cid}`);
      assert.equal(retry.properties.RETRY_TOPIC, topic, `RETRY_TOPIC of the redelivered ${cid}`);
      assert.equal(retry.properties.ORIGIN_MESSAGE_ID, acks.get(cid).msgId, `ORIGIN_MESSAGE_ID of the redelivered ${cid}`);
      assert.notEqual(retry.msgId, acks.get(cid).msgId, `the redelivered ${cid} is a new message in the retry topic`);
    }

    // The copies were stored in the group's retry topic, which the broker created when the consumer's heartbeat came.
    const route = await cluster.admin.route(retryTopic);
    const leader = await cluster.leader();
    let stored = 0;
    for (let queueId = 0; queueId < route.queueDatas[0].readQueueNums; queueId++) {
      stored += await cluster.admin.maxOffset(leader.addr, retryTopic, queueId);
    }
    assert.equal(stored, failing.length, `messages stored in ${retryTopic}`);
    await Promise.all([consumer.close(), producer.close()]);
  });

  test('DELAY levels and __STARTDELIVERTIME hold messages back until they are due', { timeout: 120000 }, async () => {
    const { cluster, session } = env;
    const topic = 'CompatDelayTopic';
    await cluster.createTopic(topic, QUEUES);
    const consumer = await session.consumer('delay-consumer', { group: 'compat_delay_group', topic });
    const producer = await session.producer('delay-producer', 'compat_delay_producer');
    const specs = makeMessages(topic, 'delay', 3);
    specs[0].properties.DELAY = '2'; // level 2: 5 s
    const deliverAt = Date.now() + 3000;
    specs[1].properties.__STARTDELIVERTIME = String(deliverAt); // ali-ons msg.setStartDeliverTime(deliverAt)
    const acks = acknowledged(specs, await producer.send(specs));
    assert.equal(acks.size, specs.length, 'every send acknowledged');

    await session.waitForCids(consumer, cidsOf(specs));
    const received = byCid(consumer.received);
    for (const spec of specs) assert.equal(received.get(spec.properties.cid).length, 1, `${spec.properties.cid} delivered once`);
    const [delayed] = received.get('delay-0');
    const [timed] = received.get('delay-1');
    const [plain] = received.get('delay-2');
    assert.equal(delayed.body, specs[0].body);
    assert.ok(delayed.storeTimestamp - delayed.bornTimestamp >= 5000,
      `DELAY=2 message stored for delivery ${delayed.storeTimestamp - delayed.bornTimestamp} ms after it was sent`);
    assert.equal(delayed.properties.DELAY, undefined, 'DELAY is removed from the delivered copy');
    assert.equal(delayed.properties.REAL_TOPIC, topic);
    assert.equal(timed.body, specs[1].body);
    assert.ok(timed.storeTimestamp >= deliverAt, `__STARTDELIVERTIME message delivered ${deliverAt - timed.storeTimestamp} ms early`);
    assertSameMessage(plain, specs[2], acks.get('delay-2'));
    await Promise.all([consumer.close(), producer.close()]);
  });

  test('New groups consuming from the first or the last offset both start at queue offset 0 of a new queue, as RocketMQ 4.9 does',
    { timeout: 150000 }, async () => {
      const { cluster, session } = env;
      const topic = 'CompatStartPointTopic';
      await cluster.createTopic(topic, QUEUES);
      const producer = await session.producer('start-point-producer', 'compat_start_point_producer');
      const backlog = makeMessages(topic, 'backlog', 8);
      const backlogAcks = acknowledged(backlog, await producer.send(backlog));

      // With no committed offset, RocketMQ 4.9's QUERY_CONSUMER_OFFSET answers 0 while the queue still begins at
      // offset 0 (its first message in memory), so ali-ons starts there whatever consumeFromWhere says; only a queue
      // whose head was deleted would make CONSUME_FROM_LAST_OFFSET ask GET_MAX_OFFSET.
      const fromFirst = await session.consumer('first-offset-consumer',
        { group: 'compat_first_offset_group', topic, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
      const fromLast = await session.consumer('last-offset-consumer',
        { group: 'compat_last_offset_group', topic, consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET' });
      const live = makeMessages(topic, 'live', 8);
      const liveAcks = acknowledged(live, await producer.send(live));

      for (const consumer of [fromFirst, fromLast]) {
        await session.waitForCids(consumer, cidsOf([...backlog, ...live]));
        const received = byCid(consumer.received);
        for (const [specs, acks] of [[backlog, backlogAcks], [live, liveAcks]]) {
          for (const spec of specs) {
            const copies = received.get(spec.properties.cid);
            assert.equal(copies.length, 1, `${consumer.name}: ${spec.properties.cid} delivered ${copies.length} times`);
            assertSameMessage(copies[0], spec, acks.get(spec.properties.cid));
          }
        }
      }
      await Promise.all([fromFirst.close(), fromLast.close(), producer.close()]);
    });

  test('Requests RaftMq does not serve are answered REQUEST_CODE_NOT_SUPPORTED on a connection that stays usable', async () => {
    const { cluster } = env;
    const leader = await cluster.leader();
    const QUERY_CONSUME_TIME_SPAN = 303;
    const UNASSIGNED = 9999;
    const REQUEST_CODE_NOT_SUPPORTED = 3;
    for (const code of [QUERY_CONSUME_TIME_SPAN, UNASSIGNED]) {
      const response = await cluster.admin.request(leader.addr, code, { producerGroup: 'compat_unsupported' });
      assert.equal(response.code, REQUEST_CODE_NOT_SUPPORTED, `answer to request code ${code}`);
      assert.match(response.remark, new RegExp(`request type ${code} not supported`));
    }
    await cluster.createTopic('CompatUnsupportedTopic', 1);
    assert.equal(await cluster.admin.maxOffset(leader.addr, 'CompatUnsupportedTopic', 0), 0);
  });

  // A planned leadership transfer while ali-ons produces and consumes. ali-ons keeps its 30 s old route, so it goes
  // on sending to the old leader, now a follower: the follower forwards every send to the new leader and answers
  // with the leader's reply, serves the consumer's pulls from its applied log and forwards its offset commits.
  test('ali-ons sees no failed send and no stalled consumer while leadership is transferred', { timeout: 240000 }, async t => {
    const { cluster, session } = env;
    const topic = 'CompatTransferTopic';
    const group = 'compat_transfer_group';
    await cluster.createTopic(topic, QUEUES);
    const consumer = await session.consumer('transfer-consumer', { group, topic });
    const producer = await session.producer('transfer-producer', 'compat_transfer_producer');
    const specs = makeMessages(topic, 'transfer', 1500);
    const acked = new Map();
    const failures = [];
    let sent = 0;
    let transferred = false;
    const sendNext = async () => {
      const spec = specs[sent++];
      const [result] = await producer.send([spec]);
      if (result.ok) acked.set(spec.properties.cid, { spec, ack: result, afterTransfer: transferred });
      else failures.push(`${spec.properties.cid}: ${result.error} (code ${result.code})`);
    };
    const ackedAfter = () => [...acked.values()].filter(a => a.afterTransfer).length;

    while (acked.size < 300 && sent < 400) await sendNext();
    await session.waitForCids(consumer, [...acked.keys()].slice(0, 10));
    const oldLeader = await cluster.leader();
    const target = cluster.nodes.find(node => node !== oldLeader && !node.exited);
    const reply = await cluster.admin.request(oldLeader.addr, 9001, { targetId: target.id });
    assert.equal(reply.code, 0, `transfer refused: ${reply.remark}`);
    transferred = true;
    let newLeader = null;
    while (sent < specs.length && (ackedAfter() < 300 || newLeader === null)) {
      await sendNext();
      if (newLeader === null && sent % 50 === 0) {
        const leader = await cluster.leader();
        if (leader.id !== oldLeader.id) newLeader = leader;
      }
    }
    assert.ok(newLeader, `leadership did not move away from ${oldLeader.id}${cluster.logTails()}`);
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} sends failed around the transfer`);

    await session.waitForCids(consumer, [...acked.keys()], { timeoutMs: 120000 });
    const received = byCid(consumer.received);
    for (const [cid, { spec, ack }] of acked) assertSameMessage(received.get(cid)[0], spec, ack);
    t.diagnostic(`leadership ${oldLeader.id} -> ${newLeader.id}; ${acked.size} sends acknowledged ` +
      `(${ackedAfter()} after the transfer), ${failures.length} failed; every acknowledged message consumed`);
    await Promise.all([consumer.close(), producer.close()]);
  });

  // A rolling restart (SIGTERM, start, wait until it serves, next; followers first, the leader last) while ali-ons
  // produces and consumes. ali-ons keeps its 30 s route, so it sends to the old leader's address throughout: a send
  // may fail only while that node is actually down (between its SIGTERM and serving again); before and after, a
  // follower forwards the send to the leader. Every acknowledged message must be consumed.
  test('ali-ons sends fail only while their node is down during a rolling restart, and nothing acknowledged is lost',
    { timeout: 300000 }, async t => {
      const { cluster, session } = env;
      const topic = 'CompatRollingTopic';
      const group = 'compat_rolling_group';
      await cluster.createTopic(topic, QUEUES);
      const consumer = await session.consumer('rolling-consumer', { group, topic });
      const producer = await session.producer('rolling-producer', 'compat_rolling_producer');
      const specs = makeMessages(topic, 'rolling', 4000);
      const acked = new Map();
      const failures = [];
      let sent = 0;
      const sendNext = async () => {
        const spec = specs[sent++];
        const invokedAt = Date.now();
        const [result] = await producer.send([spec]);
        if (result.ok) acked.set(spec.properties.cid, { spec, ack: result });
        else {
          failures.push({ cid: spec.properties.cid, invokedAt, failedAt: Date.now(), why: `${result.error} (code ${result.code})` });
          await sleep(100); // a refused connection fails at once; do not spin
        }
      };

      while (acked.size < 100 && sent < 200) await sendNext();
      await session.waitForCids(consumer, [...acked.keys()].slice(0, 10));
      const leader = await cluster.leader();
      const order = [...cluster.nodes.filter(n => n.id !== leader.id), leader];
      const windows = [];
      let rolling = true;
      const roll = (async () => {
        try {
          for (const node of order) {
            windows.push(await cluster.restart(node));
            await sleep(2000);
          }
        } finally {
          rolling = false;
        }
      })();
      while (rolling && sent < specs.length) await sendNext();
      await roll;
      const ackedBeforeTail = acked.size;
      while (acked.size < ackedBeforeTail + 100 && sent < specs.length) await sendNext();

      // A send invoked before a node went down may fail when it goes; allow the send timeout (3 s) before the window.
      const slackMs = 3500;
      const downWhen = f => windows.find(w => f.failedAt >= w.stoppedAt - slackMs && f.invokedAt <= w.servingAt + slackMs);
      const outside = failures.filter(f => !downWhen(f));
      assert.deepEqual(outside.slice(0, 5), [], `${outside.length} of ${failures.length} failed sends fell outside every node's down ` +
        `window ${JSON.stringify(windows.map(w => ({ node: w.node.id, down: w.servingAt - w.stoppedAt })))}${cluster.logTails()}`);

      await session.waitForCids(consumer, [...acked.keys()], { timeoutMs: 120000 });
      const received = byCid(consumer.received);
      for (const [cid, { spec, ack }] of acked) assertSameMessage(received.get(cid)[0], spec, ack);
      t.diagnostic(`rolled ${windows.map(w => `${w.node.id} (down ${w.servingAt - w.stoppedAt} ms)`).join(', ')}; ` +
        `${acked.size} sends acknowledged, ${failures.length} failed, all while their node was down; every acknowledged message consumed`);
      await Promise.all([consumer.close(), producer.close()]);
    });

  // Last: it kills the group leader. ali-ons re-reads routes only every 30 s (its pollNameServerInteval), never
  // right after a failed send, so sends fail for up to that long; they were never acknowledged, so losing them is
  // allowed. Every acknowledged message must be consumed, with the msgId and queue offset its send reply named.
  test('ali-ons recovers after the group leader is SIGKILLed during produce and consume, losing no acknowledged message',
    { timeout: 240000 }, async t => {
      const { cluster, session } = env;
      const topic = 'CompatFailoverTopic';
      const group = 'compat_failover_group';
      await cluster.createTopic(topic, QUEUES);
      const consumer = await session.consumer('failover-consumer', { group, topic });
      const producer = await session.producer('failover-producer', 'compat_failover_producer');
      const specs = makeMessages(topic, 'failover', 1000);
      const acked = new Map();
      let sent = 0;
      let failedBeforeKill = 0;
      let failedAfterKill = 0;
      let killed = false;
      let firstAckAfterKill = null;
      const sendNext = async () => {
        const spec = specs[sent++];
        const [result] = await producer.send([spec]);
        if (result.ok) {
          acked.set(spec.properties.cid, { spec, ack: result, afterKill: killed });
          if (killed && firstAckAfterKill === null) firstAckAfterKill = Date.now();
        } else {
          if (killed) failedAfterKill++; else failedBeforeKill++;
          await sleep(250); // A refused send fails at once; do not spin.
        }
      };
      const ackedAfterKill = () => [...acked.values()].filter(a => a.afterKill).length;

      while (acked.size < 30 && sent < 200) await sendNext();
      assert.equal(acked.size, 30, `sends failed before the kill: ${failedBeforeKill}`);
      await session.waitForCids(consumer, [...acked.keys()].slice(0, 10));
      const oldLeader = await cluster.leader();
      await cluster.kill(oldLeader);
      killed = true;
      const killedAt = Date.now();
      const recoveryDeadline = killedAt + 120000;
      while (ackedAfterKill() < 30 && sent < specs.length && Date.now() < recoveryDeadline) await sendNext();
      assert.ok(ackedAfterKill() >= 30,
        `ali-ons sends did not recover within 120 s of the leader kill (${failedAfterKill} failed)${cluster.logTails()}`);
      const newLeader = await cluster.leader();
      assert.notEqual(newLeader.id, oldLeader.id);

      await session.waitForCids(consumer, [...acked.keys()], { timeoutMs: 120000 });
      const received = byCid(consumer.received);
      for (const [cid, { spec, ack }] of acked) assertSameMessage(received.get(cid)[0], spec, ack);
      const duplicates = [...received.values()].filter(copies => copies.length > 1).length;
      t.diagnostic(`leader ${oldLeader.id} killed, new leader ${newLeader.id}; ${acked.size} sends acknowledged ` +
        `(${ackedAfterKill()} after the kill; the first ${firstAckAfterKill - killedAt} ms after it), ` +
        `${failedBeforeKill} failed before and ${failedAfterKill} after the kill; ` +
        `${duplicates} messages delivered more than once (allowed: at-least-once)`);
      await Promise.all([consumer.close(), producer.close()]);
    });
});
