'use strict';
// Child processes (RaftMq servers, ali-ons workers) must never outlive the suite, even when a test fails or the
// runner interrupts the file: each one is SIGKILLed when this process exits.

const os = require('node:os');

const children = new Set();
let installed = false;

function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

/** Registers `child` to be SIGKILLed if this process exits (normally or on SIGINT/SIGTERM/SIGHUP) first. */
function killOnExit(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      killAll();
      process.exit(128 + os.constants.signals[signal]);
    });
  }
}

module.exports = { killOnExit };
