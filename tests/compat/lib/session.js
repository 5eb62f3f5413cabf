'use strict';
// What the tests do again and again against the shared cluster: start ali-ons workers, wait for messages by
// correlation id, check send acknowledgements and committed offsets.

const assert = require('node:assert/strict');
const { AliOnsWorker } = require('./worker');
const { waitFor } = require('./waits');
const { byCid } = require('./messages');

class Session {
  constructor(cluster) {
    this.cluster = cluster;
  }

  /** An ali-ons push consumer (tools/consumer.js) on the cluster; `config`: group, topic, expression... */
  consumer(name, config) {
    return AliOnsWorker.start('consumer', name, { nameSrv: this.cluster.nameSrv, ...config }, this.cluster.logDir);
  }

  /** An ali-ons producer (tools/producer.js) of `group` on the cluster. */
  producer(name, group) {
    return AliOnsWorker.start('producer', name, { nameSrv: this.cluster.nameSrv, group }, this.cluster.logDir);
  }

  /** Waits until `consumer` received every message whose cid is in `cids` (counting only deliveries `where` accepts). */
  async waitForCids(consumer, cids, { timeoutMs = 60000, where = () => true } = {}) {
    const missing = () => {
      const seen = byCid(consumer.received.filter(where));
      return cids.filter(cid => !seen.has(cid));
    };
    try {
      await waitFor(`${consumer.name} to receive ${cids.length} messages`, () => missing().length === 0, {
        timeoutMs, intervalMs: 100, describe: () => `missing ${missing().slice(0, 10).join(', ')} (${missing().length} in all)`,
      });
    } catch (err) {
      err.message += `\n--- ${consumer.name} stderr (tail) ---\n${consumer.logTail()}`;
      throw err;
    }
  }

  /**
   * Waits until the group leader reports, for every queue of `topic`, a committed offset for `group` equal to the
   * queue's max offset: everything consumed is committed.
   */
  async waitForCommittedOffsets(group, topic, queueNums) {
    let last = [];
    await waitFor(`${group} to commit every offset of ${topic}`, async () => {
      const leader = await this.cluster.leader();
      last = [];
      for (let queueId = 0; queueId < queueNums; queueId++) {
        const committed = await this.cluster.admin.consumerOffset(leader.addr, group, topic, queueId);
        const max = await this.cluster.admin.maxOffset(leader.addr, topic, queueId);
        last.push(`q${queueId}: ${committed}/${max}`);
        if (committed !== max) return false;
      }
      return true;
    }, { timeoutMs: 30000, intervalMs: 250, describe: () => last.join(', ') });
  }
}

/** Asserts that every send was acknowledged with SEND_OK; returns cid -> acknowledgement. */
function acknowledged(specs, results) {
  assert.equal(results.length, specs.length);
  const acks = new Map();
  specs.forEach((spec, i) => {
    const result = results[i];
    assert.ok(result.ok, `send of ${spec.properties.cid} failed: ${result.error || result.status} (code ${result.code})`);
    acks.set(spec.properties.cid, result);
  });
  return acks;
}

const cidsOf = specs => specs.map(spec => spec.properties.cid);

module.exports = { Session, acknowledged, cidsOf, killWorkers: () => AliOnsWorker.killAll() };
