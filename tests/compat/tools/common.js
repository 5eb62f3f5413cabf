'use strict';
// Shared by the ali-ons worker processes: the line protocol on stdin/stdout, the options every ali-ons client
// needs against a plain name server, and the message format the tests and the .NET interop test exchange.
//
// Protocol: the worker prints one JSON object per line on stdout (events) and reads one JSON object per line on
// stdin (commands). Everything else (ali-ons warnings, errors) goes to stderr, so stdout stays machine-readable.

const readline = require('node:readline');

/** Prints one event line. */
function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

/** ali-ons logs through this object; info/debug are dropped, the rest goes to stderr with the worker's name. */
function stderrLogger(name) {
  const write = (level, args) => process.stderr.write(`[${name}] ${level} ${args.map(String).join(' ')}\n`);
  return {
    info() {},
    debug() {},
    warn: (...args) => write('WARN', args),
    error: (...args) => write('ERROR', args),
  };
}

/**
 * Options every ali-ons 3.12.0 client needs here: `nameSrv` makes it skip the Aliyun HTTP address lookup, but its
 * RemotingClient still asserts that an `httpclient` option exists, so a stub that is never called is passed.
 */
function aliOnsOptions(config, name) {
  const options = {
    nameSrv: config.nameSrv,
    httpclient: { request: () => Promise.reject(new Error('no HTTP name server lookup in the compatibility suite')) },
    logger: stderrLogger(name),
  };
  // Without one, ali-ons names a clustering client after its process id, unique per worker process.
  if (config.instanceName) options.instanceName = config.instanceName;
  // Plain ACL: ali-ons then signs every request (AccessKey, OnsChannel, Signature).
  if (config.accessKeyId) {
    options.accessKeyId = config.accessKeyId;
    options.accessKeySecret = config.accessKeySecret;
  }
  return options;
}

/** Reads the worker's configuration: one JSON argument. */
function readConfig() {
  if (process.argv.length < 3) throw new Error('usage: node tools/<worker>.js \'{"nameSrv":"127.0.0.1:9876",...}\'');
  return JSON.parse(process.argv[2]);
}

/** Calls `handle` for every command line on stdin, one at a time, in order; ends the process on stdin EOF. */
function onCommands(handle, onEnd) {
  const lines = readline.createInterface({ input: process.stdin });
  let chain = Promise.resolve();
  lines.on('line', line => {
    if (!line.trim()) return;
    const command = JSON.parse(line);
    chain = chain.then(() => handle(command)).catch(err => emit({ type: 'fatal', error: String(err && err.stack || err) }));
  });
  lines.on('close', () => { chain = chain.then(onEnd); });
}

/** The portable view of a consumed ali-ons message (body base64, already inflated by ali-ons when compressed). */
function describeReceived(msg) {
  const properties = {};
  for (const [name, value] of Object.entries(msg.properties || {})) {
    if (name !== '' && value !== null && value !== undefined) properties[name] = String(value);
  }
  return {
    msgId: msg.msgId,
    topic: msg.topic,
    queueId: msg.queueId,
    queueOffset: msg.queueOffset,
    commitLogOffset: msg.commitLogOffset,
    reconsumeTimes: msg.reconsumeTimes,
    bornTimestamp: msg.bornTimestamp,
    storeTimestamp: msg.storeTimestamp,
    sysFlag: msg.sysFlag,
    bornHost: msg.bornHost,
    storeHost: msg.storeHost,
    tags: msg.tags || null,
    keys: msg.keys || null,
    properties,
    body: msg.body ? Buffer.from(msg.body).toString('base64') : '',
  };
}

module.exports = { emit, stderrLogger, aliOnsOptions, readConfig, onCommands, describeReceived };
