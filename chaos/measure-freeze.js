// Reads what chaos/measure-freeze.sh recorded in DIR and prints the freeze figures:
//   node chaos/measure-freeze.js DIR leader|follower PAUSE_SECONDS
// samples.txt: "ms node term applied commit isLeader" per node every 250 ms (nothing while a node is frozen);
// bench.txt: raftmq bench produce's per-second lines; events.txt: "stop MS NODE" and "cont MS NODE".
'use strict';
const fs = require('fs');
const path = require('path');

const [dir, role, pause] = process.argv.slice(2);
const lines = file => fs.readFileSync(path.join(dir, file), 'utf8').split('\n').filter(line => line.trim() !== '');

const events = Object.fromEntries(lines('events.txt').map(line => {
  const [kind, ms, node] = line.split(' ');
  return [kind, { ms: Number(ms), node }];
}));
const samples = lines('samples.txt').map(line => {
  const [ms, node, term, applied, commit, leader] = line.split(' ');
  return { ms: Number(ms), node, term: Number(term), applied: Number(applied), commit: Number(commit), leader: leader === '1' };
});
const seconds = lines('bench.txt')
  .map(line => /Current Time: (\d+) \| \w+ TPS: (\d+) \| Max RT\(ms\): ([\d.]+) \| Average RT\(ms\): ([\d.]+) \| \w+ Failed: (\d+)/.exec(line))
  .filter(match => match)
  .map(match => ({ ms: Number(match[1]), tps: Number(match[2]), maxRt: Number(match[3]), failed: Number(match[5]) }));

// A resumed leader reports itself as leader of its old term until it hears the new one: a sample counts as the
// leader's only when no higher term was seen before it.
{
  let highest = 0;
  for (const s of [...samples].sort((a, b) => a.ms - b.ms)) {
    highest = Math.max(highest, s.term);
    if (s.leader && s.term < highest) s.leader = false;
  }
}

const stop = events.stop.ms;
const cont = events.cont.ms;
const victim = events.stop.node;
const mean = values => values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
const fmt = (ms, digits = 2) => Number.isFinite(ms) ? (ms / 1000).toFixed(digits) + ' s' : 'n/a';

// Sends: the bench's per-second lines. A send stuck on the frozen leader completes (after its retry) with a latency as
// long as the stall, so the largest latency of the seconds after the freeze measures the interruption a sender saw.
const baseline = mean(seconds.filter(s => s.ms <= stop && s.ms > stop - 10_000).map(s => s.tps));
const afterStop = seconds.filter(s => s.ms > stop);
const firstGood = afterStop.find(s => s.tps > 0 && s.ms > stop + 1000);
const worstRt = Math.max(0, ...seconds.filter(s => s.ms > stop && s.ms <= cont + 5000).map(s => s.maxRt));
const failed = seconds.filter(s => s.ms > stop).reduce((sum, s) => sum + s.failed, 0);
const duringFreeze = mean(seconds.filter(s => s.ms > stop + 4000 && s.ms <= cont).map(s => s.tps));
const zeroSeconds = seconds.filter(s => s.ms > stop && s.ms <= cont + 1000 && s.tps === 0).length;

// Leadership: leaders and terms seen before the freeze, during it and after the resume.
const leaderAt = (from, to) => [...new Set(samples.filter(s => s.leader && s.ms >= from && s.ms < to).map(s => `${s.node}@t${s.term}`))];
const maxTerm = (from, to) => Math.max(0, ...samples.filter(s => s.ms >= from && s.ms < to).map(s => s.term));
const newLeader = samples.find(s => s.leader && s.ms > stop && s.node !== victim);
const termAtResume = maxTerm(stop, cont + 1);
const termAtEnd = maxTerm(cont, Infinity);

// Catch-up: the resumed node's applied index reaches what the leader had applied one sample interval earlier.
const leaderSamples = samples.filter(s => s.leader && s.ms >= cont);
const victimSamples = samples.filter(s => s.node === victim && s.ms >= cont);
const lagAtResume = (() => {
  const v = victimSamples[0];
  if (!v) return NaN;
  const l = leaderSamples.reduce((best, s) => (!best || Math.abs(s.ms - v.ms) < Math.abs(best.ms - v.ms) ? s : best), null);
  return l ? Math.max(0, l.applied - v.applied) : NaN;
})();
// How far behind the frozen node fell: the leader's applied index at the resume minus the victim's last answer before the freeze.
const behindAtResume = (() => {
  const lastBefore = samples.filter(s => s.node === victim && s.ms <= stop).pop();
  // the leader's last sample before SIGCONT (the frozen node's own late answer is not the leader's)
  const leaderAtCont = samples.filter(s => s.leader && s.node !== victim && s.ms <= cont).pop() ??
    samples.filter(s => s.leader && s.ms <= stop).pop();
  return lastBefore && leaderAtCont ? leaderAtCont.applied - lastBefore.applied : NaN;
})();
const caughtUp = victimSamples.find(v => {
  const earlier = leaderSamples.filter(l => l.ms <= v.ms - 250).pop();
  return earlier && v.applied >= earlier.applied;
});
const catchUpEnd = caughtUp ? caughtUp.ms : NaN;
const during = seconds.filter(s => s.ms > cont && s.ms <= (caughtUp ? catchUpEnd + 1000 : cont + 10_000)).map(s => s.tps);

const report = [
  `freeze of the ${role} ${victim} for ${pause} s (SIGSTOP at ${new Date(stop).toISOString()})`,
  `producer before the freeze: ${baseline.toFixed(0)} msg/s (mean of the 10 s before)` +
    (Number.isFinite(duringFreeze) ? `; during the freeze (from 4 s after SIGSTOP): ${duringFreeze.toFixed(0)} msg/s` : ''),
  role === 'leader'
    ? `new leader: ${newLeader ? `${newLeader.node} at term ${newLeader.term}, seen ${fmt(newLeader.ms - stop)} after SIGSTOP (metrics sampled every 250 ms)` : 'none seen'}`
    : `leader during the freeze: ${leaderAt(stop, cont).join(', ') || 'none seen'}`,
  `sends: longest send latency in the freeze window ${fmt(worstRt)}; seconds with no send completed ${zeroSeconds}; first full second with sends after the freeze ${firstGood ? fmt(firstGood.ms - stop, 1) : 'n/a'} after SIGSTOP; failed sends ${failed}`,
  `leaders seen after the resume: ${leaderAt(cont, Infinity).join(', ') || 'none'}; term at resume ${termAtResume}, at the end ${termAtEnd} (${termAtEnd === termAtResume ? 'no leader change after the resume' : 'LEADER CHANGE after the resume'})`,
  `catch-up of ${victim}: about ${Number.isFinite(behindAtResume) ? behindAtResume : 'n/a'} entries behind when resumed, ${Number.isFinite(lagAtResume) ? lagAtResume : 'n/a'} at its first metrics answer; caught up ${caughtUp ? fmt(catchUpEnd - cont) : 'not within the run'} after SIGCONT`,
  `producer during the catch-up: ${mean(during).toFixed(0)} msg/s (${(100 * mean(during) / baseline).toFixed(0)}% of before)`,
];
console.log(report.join('\n'));
