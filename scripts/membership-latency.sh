#!/usr/bin/env bash
# Send latency while a group changes its members: a name server and a 3-node group on loopback, then five phases,
# each under its own `raftmq bench produce` run (4 senders, 256 B): baseline (no change), grow 3 -> 5 (addPeer,
# start, wait until voter, twice), shrink 5 -> 3 (removePeer the leader, then another node), replace a SIGKILLed
# follower by a fresh node on new ports, move a follower to new ports with its data. The procedures are the ones of
# docs/operations/membership.md. Prints each phase's bench summary (p50/p99/max, failed sends).
#
#   bash scripts/membership-latency.sh [RAFTMQ_DLL] [WORK_DIR] [BASE_PORT]
#
# BASE_PORT (default 23600) .. BASE_PORT+99 must be free. Takes about three minutes.
set -u
R=${1:-src/Cli/bin/Release/net10.0/raftmq.dll}
D=${2:-/tmp/raftmq-membership-latency}
B=${3:-23600}
BENCH_SECONDS=${BENCH_SECONDS:-25}
rm -rf "$D"; mkdir -p "$D/conf" "$D/logs"
NS=127.0.0.1:$((B + 76))
raftmq() { dotnet "$R" "$@"; }
listen_port() { echo $((B + 11 + 10 * $1)); }
raft_port() { echo $((B + 12 + 10 * $1)); }
peers_of() { local out="" n; for n in "$@"; do out+="n$n-127.0.0.1:$(raft_port "$n");"; done; echo "${out%;}"; }

write_conf() { # id listenPort raftPort peers...
  local id=$1 lp=$2 rp=$3; shift 3
  local peers="" n
  for n in "$@"; do
    if [ "$n" = "$id" ]; then peers+="n$n-127.0.0.1:$rp;"; else peers+="n$n-127.0.0.1:$(raft_port "$n");"; fi
  done
  cat > "$D/conf/broker-n$id.conf" <<EOF
brokerClusterName = LatencyCluster
brokerName = LatencyGroup
listenPort = $lp
bindAddress = 127.0.0.1
brokerIP1 = 127.0.0.1
namesrvAddr = $NS
storePathRootDir = $D/store/n$id
enableDLegerCommitLog = true
dLegerGroup = LatencyGroup
dLegerPeers = ${peers%;}
dLegerSelfId = n$id
sendMessageThreadPoolNums = 16
flushDiskType = SYNC_FLUSH
EOF
}
start() { (exec dotnet "$R" broker -c "$D/conf/broker-n$1.conf" -l "$D/logs" > "$D/logs/n$1.out" 2>&1) & echo $! > "$D/n$1.pid"; }
status() { raftmq admin raftStatus -n $NS -b LatencyGroup 2>/dev/null; }
configuration() { status | grep '^configuration' ; }
leader() { status | awk '$0 ~ /LEADER/ {for (i = 1; i <= NF; i++) if ($i ~ /^n[0-9]+$/) {print substr($i, 2); exit}}'; }
wait_for() { # description, grep pattern on the configuration line
  local i
  for i in $(seq 1 120); do configuration | grep -Eq "$2" && { echo "   $1 ($(configuration))"; return 0; }; sleep 0.5; done
  echo "   gave up waiting for $1: $(configuration)"; return 1
}
wait_gone() { # node id
  local i
  for i in $(seq 1 120); do configuration | grep -q "^configuration" && ! configuration | grep -Eq "n$1(,|;|$)" && { echo "   n$1 removed ($(configuration))"; return 0; }; sleep 0.5; done
  echo "   gave up waiting for n$1 to leave: $(configuration)"; return 1
}
retry() { local i; for i in $(seq 1 20); do raftmq admin "$@" -n $NS -b LatencyGroup > /dev/null 2>&1 && return 0; sleep 0.5; done; echo "   admin $* kept failing"; }
bench() { # phase name; runs in the background
  (raftmq bench produce -n $NS -w 4 -s 256 -d "${BENCH_SECONDS}s" -t LatencyTopic -l "$D/logs" > "$D/bench-$1.txt" 2>&1) &
  echo $! > "$D/bench.pid"; sleep 4
}
bench_done() { wait "$(cat "$D/bench.pid")"; echo "== $1"; grep -E '^sent|^latency' "$D/bench-$1.txt"; }

printf 'listenPort = %s\nbindAddress = 127.0.0.1\n' $((B + 76)) > "$D/conf/namesrv.conf"
(exec dotnet "$R" namesrv -c "$D/conf/namesrv.conf" -l "$D/logs" > "$D/logs/ns.out" 2>&1) & echo $! > "$D/ns.pid"
for n in 0 1 2; do write_conf $n "$(listen_port $n)" "$(raft_port $n)" 0 1 2; start $n; done
sleep 8
MEMBERS="0 1 2"
wait_for "group up" "voters n0,n1,n2" || wait_for "group up" "voters"

bench baseline; bench_done baseline

bench grow
for n in 3 4; do
  write_conf $n "$(listen_port $n)" "$(raft_port $n)" $MEMBERS $n
  retry addPeer -i n$n -a 127.0.0.1:"$(raft_port $n)"; start $n
  wait_for "n$n voter" "voters [^;]*n$n"; MEMBERS="$MEMBERS $n"
done
bench_done grow

bench shrink
L=$(leader); O=$(for n in $MEMBERS; do [ "$n" != "$L" ] && echo $n; done | head -1)
for n in $L $O; do
  retry removePeer -i n$n; wait_gone $n; kill "$(cat "$D/n$n.pid")"
  MEMBERS=$(for m in $MEMBERS; do [ "$m" != "$n" ] && echo -n "$m "; done)
done
bench_done shrink

bench replace
L=$(leader); DEAD=$(for n in $MEMBERS; do [ "$n" != "$L" ] && echo $n; done | head -1)
kill -9 "$(cat "$D/n$DEAD.pid")"; echo "   SIGKILL n$DEAD"
write_conf 5 "$(listen_port 5)" "$(raft_port 5)" $MEMBERS 5
retry addPeer -i n5 -a 127.0.0.1:"$(raft_port 5)"; start 5
wait_for "n5 voter" "voters [^;]*n5"
retry removePeer -i n$DEAD; wait_gone $DEAD; MEMBERS=$(for m in $MEMBERS 5; do [ "$m" != "$DEAD" ] && echo -n "$m "; done)
bench_done replace

bench move
L=$(leader); MOVE=$(for n in $MEMBERS; do [ "$n" != "$L" ] && echo $n; done | head -1)
kill "$(cat "$D/n$MOVE.pid")"; while kill -0 "$(cat "$D/n$MOVE.pid")" 2>/dev/null; do sleep 0.2; done
NEW_RAFT=$((B + 72)); NEW_LISTEN=$((B + 71))
retry addPeer -i n$MOVE -a 127.0.0.1:$NEW_RAFT
write_conf "$MOVE" $NEW_LISTEN $NEW_RAFT $MEMBERS; start "$MOVE"
sleep 5; echo "   moved n$MOVE: $(status | grep "n$MOVE " | head -1)"
bench_done move

echo "== final"; status
for f in "$D"/n*.pid "$D/ns.pid"; do kill "$(cat "$f")" 2> /dev/null; done
wait 2> /dev/null
