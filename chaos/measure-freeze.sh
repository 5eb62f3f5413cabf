#!/usr/bin/env bash
# Freezes one node of a real 3-node group (SIGSTOP) under a pipelined producer, resumes it (SIGCONT) and reports:
# time until sends succeed again, leader changes after the resume, the resumed node's catch-up time and the
# producer's throughput during the catch-up. Issue 13's figures come from this script (docs/performance.md).
#
#   chaos/measure-freeze.sh leader|follower PAUSE_SECONDS [--threads 64] [--size 1024] [--out DIR] [--raftmq PATH/raftmq.dll]
#
# The cluster is the sample conf/dledger group moved to ports 249xx (name server 24876) with its store under DIR.
# Needs the built CLI (bash scripts/test.sh or `dotnet build src/Cli -c Release`), curl and node.
set -euo pipefail
cd "$(dirname "$0")/.."

role=${1:?usage: chaos/measure-freeze.sh leader|follower PAUSE_SECONDS [options]}
pause=${2:?usage: chaos/measure-freeze.sh leader|follower PAUSE_SECONDS [options]}
shift 2
threads=64 size=1024 out="" raftmq=src/Cli/bin/Release/net10.0/raftmq.dll
while [[ $# -gt 0 ]]; do
  case $1 in
    --threads) threads=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --raftmq) raftmq=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $role == leader || $role == follower ]] || { echo "role must be leader or follower" >&2; exit 2; }
[[ -f $raftmq ]] || { echo "$raftmq not found: build the CLI first (dotnet build src/Cli -c Release)" >&2; exit 2; }
out=${out:-/tmp/raftmq-freeze-$role-${pause}s}
before=30 after=45
rm -rf "$out" && mkdir -p "$out/conf" "$out/logs"
namesrv=127.0.0.1:24876

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

sed -e 's/9876/24876/' -e 's/^metricsPort.*/metricsPort = 24880/' conf/dledger/namesrv.conf > "$out/conf/namesrv.conf"
(exec dotnet "$raftmq" namesrv -c "$out/conf/namesrv.conf" -l "$out/logs" > "$out/logs/namesrv.out" 2>&1) &
pids+=($!)
declare -A node_pid
for n in 0 1 2; do
  sed -e 's/309\([0-9][0-9]\)/249\1/g' -e 's/9876/24876/' -e "s#/tmp/raftmq/#$out/store/#" \
    "conf/dledger/broker-n$n.conf" > "$out/conf/broker-n$n.conf"
  (exec dotnet "$raftmq" broker -c "$out/conf/broker-n$n.conf" -l "$out/logs" > "$out/logs/broker-n$n.out" 2>&1) &
  node_pid[n$n]=$!
  pids+=($!)
done

# Each node's term, role and indexes from its metrics endpoint, every 250 ms; a frozen node simply does not answer.
sample() {
  local n=$1 port=$2
  while true; do
    local now text
    now=$(date +%s%3N)
    if text=$(curl -s -m 0.4 "http://127.0.0.1:$port/metrics"); then
      awk -v t="$now" -v n="$n" '
        /^raftmq_consensus_term[{ ]/ { term = $NF }
        /^raftmq_consensus_applied_index[{ ]/ { applied = $NF }
        /^raftmq_consensus_commit_index[{ ]/ { commit = $NF }
        /^raftmq_consensus_role\{.*raftmq_role="Leader"/ { leader = $NF }
        END { if (term != "") print t, n, term, applied, commit, leader + 0 }' <<< "$text" >> "$out/samples.txt"
    fi
    sleep 0.25
  done
}
for n in 0 1 2; do sample "n$n" "249$((n + 1))5" & pids+=($!); done

leader="" answering=0
for _ in $(seq 1 240); do
  leader=$(awk '$6 == 1 { l = $2 } END { print l }' "$out/samples.txt" 2>/dev/null || true)
  answering=$(awk '{ seen[$2] = 1 } END { print length(seen) }' "$out/samples.txt" 2>/dev/null || echo 0)
  [[ -n $leader && $answering == 3 ]] && break
  sleep 0.5
done
[[ -n $leader && $answering == 3 ]] || { echo "no leader or not every node serving metrics within 120 s; logs in $out/logs" >&2; exit 1; }
echo "leader $leader elected; producing with $threads threads of $size B for $((before + pause + after)) s" >&2

dotnet "$raftmq" bench produce -n "$namesrv" -w "$threads" -s "$size" -d "$((before + pause + after))s" -l "$out/logs" > "$out/bench.txt" 2>&1 &
bench=$!
pids+=($bench)
sleep "$before"

leader=$(awk '$6 == 1 { l = $2 } END { print l }' "$out/samples.txt")
if [[ $role == leader ]]; then victim=$leader; else victim=$(for n in n0 n1 n2; do [[ $n != "$leader" ]] && echo "$n" && break; done); fi
echo "stop $(date +%s%3N) $victim" > "$out/events.txt"
kill -STOP "${node_pid[$victim]}"
echo "SIGSTOP $victim ($role) for $pause s" >&2
sleep "$pause"
kill -CONT "${node_pid[$victim]}"
echo "cont $(date +%s%3N) $victim" >> "$out/events.txt"
echo "SIGCONT $victim" >&2
wait "$bench" || true

node chaos/measure-freeze.js "$out" "$role" "$pause" | tee "$out/report.txt"
