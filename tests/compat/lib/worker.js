'use strict';
// Test-side handle of an ali-ons worker process (tools/producer.js, tools/consumer.js): starts it, collects its
// JSON-line events, sends commands, and makes sure it never outlives the test run.

const path = require('node:path');
const fs = require('node:fs');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { waitFor, WaitAborted } = require('./waits');
const { killOnExit } = require('./reaper');

const TOOLS = path.join(__dirname, '..', 'tools');

const live = new Set();

class AliOnsWorker {
  /** Starts `tools/<kind>.js` with `config`; its stderr goes to `<logDir>/<name>.log`. Resolves once ready. */
  static async start(kind, name, config, logDir) {
    const worker = new AliOnsWorker(kind, name, config, logDir);
    await worker._waitForEvent('ready', () => true, 60000);
    return worker;
  }

  /** SIGKILLs every worker still running (test clean-up after a failure). */
  static killAll() {
    for (const worker of live) worker.kill();
  }

  constructor(kind, name, config, logDir) {
    this.name = name;
    this.logPath = path.join(logDir, `${name}.log`);
    this.events = [];
    this.exited = false;
    this._nextId = 1;
    const log = fs.openSync(this.logPath, 'a');
    this.child = spawn(process.execPath, [path.join(TOOLS, `${kind}.js`), JSON.stringify(config)],
      { stdio: ['pipe', 'pipe', log] });
    fs.closeSync(log);
    killOnExit(this.child);
    live.add(this);
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.exitStatus = signal || code;
      live.delete(this);
    });
    readline.createInterface({ input: this.child.stdout }).on('line', line => this.events.push(JSON.parse(line)));
  }

  /** Every message the consumer handed to its handler so far, in delivery order. */
  get received() {
    return this.events.filter(e => e.type === 'message').map(e => ({ ...e.message, action: e.action }));
  }

  /** Sends `messages` (see tools/producer.js) one after the other; resolves with one result per message. */
  async send(messages) {
    const id = this._nextId++;
    this._write({ cmd: 'send', id, messages });
    const event = await this._waitForEvent('sent', e => e.id === id, 20000 + 15000 * messages.length);
    return event.results;
  }

  /** Asks the worker to close its ali-ons client (committing consumer offsets) and waits for it to exit. */
  async close() {
    if (this.exited) return;
    this._write({ cmd: 'close' });
    try {
      await waitFor(`${this.name} to close and exit`, () => this.exited, { timeoutMs: 30000 });
    } finally {
      this.kill();
    }
  }

  kill() {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** The last lines of the worker's stderr log, for failure messages. */
  logTail(lines = 20) {
    try {
      return fs.readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  _write(command) {
    this.child.stdin.write(JSON.stringify(command) + '\n');
  }

  async _waitForEvent(type, match, timeoutMs) {
    const found = () => {
      const fatal = this.events.find(e => e.type === 'fatal');
      if (fatal) throw new WaitAborted(`${this.name} failed: ${fatal.error}`);
      if (this.exited) throw new WaitAborted(`${this.name} exited (${this.exitStatus}) before '${type}'`);
      return this.events.find(e => e.type === type && match(e));
    };
    try {
      return await waitFor(`'${type}' from ${this.name}`, found, { timeoutMs, intervalMs: 50 });
    } catch (err) {
      err.message += `\n--- ${this.name} stderr (tail) ---\n${this.logTail()}`;
      throw err;
    }
  }
}

module.exports = { AliOnsWorker };
