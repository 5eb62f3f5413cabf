'use strict';

const fs = require('node:fs');
const net = require('node:net');

const LOWEST_PORT = 20000;

/**
 * The first port of the kernel's ephemeral range (Linux ip_local_port_range, default 32768). The kernel gives ports
 * from that range to outgoing connections, so a port found free there can be taken before a node binds it.
 */
function ephemeralLow() {
  try {
    const low = parseInt(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0], 10);
    return Number.isInteger(low) ? low : 32768;
  } catch {
    return 32768;
  }
}

function listen(server, port) {
  return new Promise(resolve => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
}

/**
 * `count` distinct free TCP ports on 127.0.0.1, chosen at random below the ephemeral range (as LoopbackPorts does in
 * src/Protocol): only a process binding the very same port on purpose can take one. All listeners stay open until
 * every port is known, so no port is handed out twice.
 */
async function freePorts(count) {
  const high = ephemeralLow() - 1;
  const random = high - LOWEST_PORT >= 1000;
  const servers = [];
  try {
    for (let attempt = 0; servers.length < count; attempt++) {
      if (attempt >= 1000) throw new Error(`found only ${servers.length} of ${count} free loopback ports`);
      const port = random ? LOWEST_PORT + Math.floor(Math.random() * (high - LOWEST_PORT + 1)) : 0;
      const server = net.createServer();
      if (await listen(server, port)) servers.push(server);
    }
    return servers.map(server => server.address().port);
  } finally {
    await Promise.all(servers.map(server => new Promise(resolve => server.close(resolve))));
  }
}

module.exports = { freePorts };
