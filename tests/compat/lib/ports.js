'use strict';

const net = require('node:net');

/**
 * `count` distinct free TCP ports on 127.0.0.1: each is found by listening on port 0; all listeners stay open until
 * every port is known, so no port is handed out twice.
 */
async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      servers.push(server);
    }
    return servers.map(server => server.address().port);
  } finally {
    await Promise.all(servers.map(server => new Promise(resolve => server.close(resolve))));
  }
}

module.exports = { freePorts };
