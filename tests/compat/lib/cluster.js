'use strict';
// A real RaftMq cluster for the suite: one name server and one 3-node broker group (DLedger mode), each its own
// `dotnet raftmq.dll` process, configured like conf/dledger/ but on free ports with every file under a temp dir.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { freePorts } = require('./ports');
const { killOnExit } = require('./reaper');
const { waitFor, sleep, WaitAborted } = require('./waits');
const { Admin } = require('./admin');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const DEFAULT_DLL = path.join(REPO_ROOT, 'src', 'Cli', 'bin', 'Release', 'net10.0', 'raftmq.dll');
const CLUSTER = 'RaftCluster';
const GROUP = 'RaftNode00';
const NODE_IDS = ['n0', 'n1', 'n2'];

/** The raftmq executable; the solution is built (Release) only when it is missing. RAFTMQ_DLL overrides the path. */
function raftmqDll() {
  const dll = process.env.RAFTMQ_DLL || DEFAULT_DLL;
  if (fs.existsSync(dll)) return dll;
  const build = spawnSync('dotnet', ['build', path.join(REPO_ROOT, 'RaftMq.sln'), '-c', 'Release', '-nologo', '-v', 'quiet'],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 20 * 60 * 1000 });
  if (build.status !== 0 || !fs.existsSync(dll)) {
    throw new Error(`building RaftMq.sln did not produce ${dll}:\n${build.stdout}\n${build.stderr}`);
  }
  return dll;
}

function writeConf(file, lines) {
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

class ServerProcess {
  constructor(name, dll, args, logPath) {
    this.name = name;
    this.logPath = logPath;
    this.dll = dll;
    this.args = args;
    const log = fs.openSync(logPath, 'a');
    this.child = spawn('dotnet', [dll, ...args], { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    killOnExit(this.child);
    this.exited = false;
    this.child.on('exit', () => { this.exited = true; });
  }

  logTail(lines = 30) {
    try {
      return fs.readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}

/** SIGTERM, and SIGKILL whatever still runs after 10 s; resolves once every process has exited. */
async function terminate(servers) {
  const running = servers.filter(p => p && !p.exited);
  for (const p of running) p.child.kill('SIGTERM');
  const deadline = Date.now() + 10000;
  while (running.some(p => !p.exited) && Date.now() < deadline) await sleep(100);
  for (const p of running) if (!p.exited) p.child.kill('SIGKILL');
  while (running.some(p => !p.exited)) await sleep(50);
}

class RaftMqCluster {
  /** Writes the configuration, starts every process and waits until all three nodes are registered with a leader. */
  static async start() {
    const cluster = new RaftMqCluster();
    try {
      await cluster._start();
    } catch (err) {
      err.message += cluster.logTails();
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raftmq-compat-'));
    this.logDir = path.join(this.dir, 'logs');
    fs.mkdirSync(this.logDir);
    this.nodes = [];
    this.admin = null;
  }

  get brokerName() {
    return GROUP;
  }

  async _start() {
    const dll = raftmqDll();
    const [namesrvPort, ...ports] = await freePorts(1 + 2 * NODE_IDS.length);
    this.nameSrv = `127.0.0.1:${namesrvPort}`;
    const raftPorts = ports.slice(NODE_IDS.length);
    const peers = NODE_IDS.map((id, i) => `${id}-127.0.0.1:${raftPorts[i]}`).join(';');

    const namesrvConf = path.join(this.dir, 'namesrv.conf');
    writeConf(namesrvConf, [`listenPort = ${namesrvPort}`, 'bindAddress = 127.0.0.1']);
    this.namesrv = new ServerProcess('namesrv', dll, ['namesrv', '-c', namesrvConf], path.join(this.logDir, 'namesrv.log'));

    NODE_IDS.forEach((id, i) => {
      const conf = path.join(this.dir, `broker-${id}.conf`);
      writeConf(conf, [
        `brokerClusterName = ${CLUSTER}`,
        `brokerName = ${GROUP}`,
        'brokerIP1 = 127.0.0.1',
        'bindAddress = 127.0.0.1',
        `listenPort = ${ports[i]}`,
        `namesrvAddr = ${this.nameSrv}`,
        `storePathRootDir = ${path.join(this.dir, 'store', id)}`,
        'enableDLegerCommitLog = true',
        `dLegerGroup = ${GROUP}`,
        `dLegerPeers = ${peers}`,
        `dLegerSelfId = ${id}`,
        'flushDiskType = SYNC_FLUSH',
        'enablePropertyFilter = true',
      ]);
      const node = new ServerProcess(`broker-${id}`, dll, ['broker', '-c', conf], path.join(this.logDir, `broker-${id}.log`));
      node.id = id;
      node.addr = `127.0.0.1:${ports[i]}`;
      this.nodes.push(node);
    });

    this.admin = new Admin(this.nameSrv);
    await waitFor('every broker node registered with the name server under a leader', async () => {
      const dead = [this.namesrv, ...this.nodes].find(p => p.exited);
      if (dead) throw new WaitAborted(`${dead.name} exited during start-up`);
      const addrs = await this.brokerAddrs();
      return addrs['0'] && Object.keys(addrs).length === NODE_IDS.length;
    }, { timeoutMs: 90000, intervalMs: 250, describe: () => JSON.stringify(this._lastAddrs) });
  }

  /** The group's `brokerAddrs` (id -> address) as the name server currently has them. */
  async brokerAddrs() {
    const info = await this.admin.clusterInfo();
    const data = info.brokerAddrTable && info.brokerAddrTable[GROUP];
    this._lastAddrs = data ? data.brokerAddrs : {};
    return this._lastAddrs;
  }

  /** The live node the name server lists as master (id 0) and that itself reports being writable. */
  async leader() {
    return waitFor('a writable leader registered as broker id 0', async () => {
      const addr = (await this.brokerAddrs())['0'];
      const node = this.nodes.find(n => n.addr === addr && !n.exited);
      if (!node) return null;
      const info = await this.admin.runtimeInfo(node.addr);
      return info.writable === 'true' ? node : null;
    }, { timeoutMs: 30000, intervalMs: 200, describe: () => JSON.stringify(this._lastAddrs) });
  }

  /** Creates `topic` with `queueNums` queues on the leader and waits until the name server routes it. */
  async createTopic(topic, queueNums = 4) {
    const leader = await this.leader();
    await this.admin.createTopic(leader.addr, topic, queueNums);
    await waitFor(`a route for ${topic}`, async () => {
      const route = await this.admin.route(topic);
      return route.queueDatas.some(q => q.writeQueueNums === queueNums);
    }, { timeoutMs: 30000, intervalMs: 200 });
  }

  /** Kills `node` with SIGKILL (no shutdown path runs) and waits until the process is gone. */
  async kill(node) {
    node.child.kill('SIGKILL');
    await waitFor(`${node.name} to die`, () => node.exited, { timeoutMs: 10000 });
  }

  /**
   * Restarts `node` as an operator would: SIGTERM (a leader hands leadership over first), wait until it exited,
   * start it again from its directory and wait until it is registered with the name server and answers. Returns
   * when it was told to stop and when it served again (ms since the epoch): the window its clients lose it.
   */
  async restart(node) {
    const stoppedAt = Date.now();
    await terminate([node]);
    const restarted = new ServerProcess(node.name, node.dll, node.args, node.logPath);
    restarted.id = node.id;
    restarted.addr = node.addr;
    this.nodes[this.nodes.indexOf(node)] = restarted;
    await waitFor(`${node.name} registered and answering again`, async () => {
      if (restarted.exited) throw new WaitAborted(`${node.name} exited after its restart`);
      const addrs = await this.brokerAddrs();
      if (!Object.values(addrs).includes(restarted.addr)) return false;
      const info = await this.admin.runtimeInfo(restarted.addr).catch(() => null);
      return info !== null && info.raftRole !== undefined;
    }, { timeoutMs: 90000, intervalMs: 100, describe: () => JSON.stringify(this._lastAddrs) });
    return { node: restarted, stoppedAt, servingAt: Date.now() };
  }

  /**
   * Stops the brokers, then the name server (so the brokers can unregister): SIGTERM, then SIGKILL after 10 s.
   * Removes the temp dir unless RAFTMQ_COMPAT_KEEP=1.
   */
  async stop() {
    if (this.admin) await this.admin.close().catch(() => {});
    await terminate(this.nodes);
    await terminate([this.namesrv]);
    if (process.env.RAFTMQ_COMPAT_KEEP !== '1') fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** The end of every server log, appended to failure messages. */
  logTails() {
    return [this.namesrv, ...this.nodes].filter(Boolean)
      .map(p => `\n--- ${p.name} (${p.exited ? 'exited' : 'running'}) log tail ---\n${p.logTail()}`).join('');
  }
}

module.exports = { RaftMqCluster };
