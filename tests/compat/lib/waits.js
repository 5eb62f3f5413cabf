'use strict';
// Every wait in the suite polls a condition until a deadline; nothing asserts on elapsed time.

const { setTimeout: sleep } = require('node:timers/promises');

/** Thrown from a wait's condition to end the wait at once (e.g. the process it waits on died). */
class WaitAborted extends Error {}

/**
 * Polls `condition` (sync or async; a truthy result ends the wait) every `intervalMs` until `timeoutMs` passed,
 * then throws an error naming `what` and, when given, the `describe()` state at the deadline. Other errors thrown
 * by `condition` count as "not yet", except WaitAborted.
 */
async function waitFor(what, condition, { timeoutMs = 30000, intervalMs = 100, describe } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError = null;
  for (;;) {
    try {
      const result = await condition();
      if (result) return result;
      lastError = null;
    } catch (err) {
      if (err instanceof WaitAborted) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const state = describe ? `; state: ${describe()}` : '';
      const cause = lastError ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state}${cause}`);
    }
    await sleep(intervalMs);
  }
}

module.exports = { waitFor, sleep, WaitAborted };
