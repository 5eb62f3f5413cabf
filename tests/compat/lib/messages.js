'use strict';
// The messages the suite sends and how a received copy is checked against them. Message specs use the format of
// tools/producer.js: { topic, tags, keys: [...], properties: {...}, body: base64 }.

const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const COMPRESSED_FLAG = 0x1; // MessageSysFlag.CompressedFlag: ali-ons deflates bodies of 4 KiB and more.

/** Deterministic body bytes for message `i`; the variants cover what ali-ons treats differently. */
function bodyFor(i, label) {
  switch (i % 4) {
    case 0:
      return Buffer.from(`${label} #${i}: plain ASCII body`);
    case 1: // Compressible text over 4 KiB: sent deflated with the compressed sysFlag.
      return Buffer.from(`${label} #${i} `.padEnd(64, '.').repeat(160));
    case 2: // Incompressible bytes over 4 KiB (80 SHA-512 digests): still sent deflated, and bigger.
      return Buffer.concat(Array.from({ length: 80 }, (_, k) => crypto.createHash('sha512').update(`${label}/${i}/${k}`).digest()));
    default: // Non-ASCII UTF-8 (accents, CJK, emoji).
      return Buffer.from(`${label} #${i}: Grüße, 你好，世界 — ñandú 🚀`);
  }
}

/**
 * `count` message specs for `topic`. Each carries a unique `cid` user property (the suite's correlation id), two
 * keys, a non-ASCII user property and the tag `tagOf(i)`.
 */
function makeMessages(topic, label, count, tagOf = () => 'TagA') {
  return Array.from({ length: count }, (_, i) => ({
    topic,
    tags: tagOf(i),
    keys: [`${label}-key-${i}`, `${label}-shared`],
    properties: { cid: `${label}-${i}`, seq: String(i), origin: 'ali-ons', note: `çà et là · 値 ${i}` },
    body: bodyFor(i, label).toString('base64'),
  }));
}

/** Rotates TagA, TagB, TagC. */
const rotatingTags = i => ['TagA', 'TagB', 'TagC'][i % 3];

/**
 * Asserts that `received` (tools/consumer.js format) is `spec` as stored by the send acknowledged with `ack`:
 * same body bytes, tag, keys and user properties, the send's msgId, queue and queue offset, and the compressed
 * flag exactly when ali-ons compressed the body.
 */
function assertSameMessage(received, spec, ack) {
  const cid = spec.properties.cid;
  assert.equal(received.body, spec.body, `body of ${cid}`);
  assert.equal(received.tags, spec.tags, `tag of ${cid}`);
  assert.equal(received.keys, spec.keys.join(' '), `keys of ${cid}`);
  for (const [name, value] of Object.entries(spec.properties)) {
    assert.equal(received.properties[name], value, `property ${name} of ${cid}`);
  }
  const compressed = Buffer.from(spec.body, 'base64').length >= 4096;
  assert.equal((received.sysFlag & COMPRESSED_FLAG) === COMPRESSED_FLAG, compressed, `compressed flag of ${cid}`);
  if (ack) {
    assert.equal(received.msgId, ack.msgId, `msgId of ${cid} (offsetMsgId from the send reply)`);
    assert.equal(received.queueId, ack.queueId, `queueId of ${cid}`);
    assert.equal(received.queueOffset, ack.queueOffset, `queueOffset of ${cid}`);
  }
}

/** Groups received messages by their `cid` property. */
function byCid(received) {
  const map = new Map();
  for (const message of received) {
    const cid = message.properties.cid;
    if (!map.has(cid)) map.set(cid, []);
    map.get(cid).push(message);
  }
  return map;
}

module.exports = { makeMessages, rotatingTags, assertSameMessage, byCid };
