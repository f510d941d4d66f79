#!/usr/bin/env bash
# Runs every load scenario of docs/performance.md, jq-sse and nchan side by side, and keeps the raw
# output under benchmarks/results/<date>/. Needs benchmarks/target/benchmarks.jar
# (mvn -q -pl benchmarks -am package -DskipTests) and, for nchan, nginx + libnginx-mod-nchan
# (/work/shared/bench/nchan/start.sh installs them). Usage: run-load.sh [scenario...] (default: all).
# The floor scenario (not in the default list) runs fanout_10 against FloorServer in each of
# FLOOR_MODES and FLOOR_TRANSPORTS (auto, epoll, nio), then against jq-sse.
# Environment: OUT (results folder), FLOOR_PORT, FLOOR_MODES, FLOOR_TRANSPORTS, FANOUT_SIZES, FILTER_COUNTS, DOCUMENT_GROUPS narrow the sweeps;
# NCHAN=0 skips nchan; IO_TRANSPORT (auto, epoll, nio) is the transport of the spawned jq-sse and, unless
# FLOOR_TRANSPORTS says otherwise, of the FloorServer.
set -u
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
out=${OUT:-benchmarks/results/$(date -u +%F)}
mkdir -p "$out"
nchan_dir=${NCHAN_DIR:-/tmp/jq-sse-nchan}
nchan_port=${NCHAN_PORT:-9191}
floor_port=${FLOOR_PORT:-18081}

# The subscriber children get --client-jvm-options (default: a small heap, serial GC); this JVM holds
# the subscribers itself when --processes is 1, so it gets the same collector.
loadgen() { java -Xms64m -Xmx1g -XX:+UseSerialGC -cp "$jar" io.jqsse.bench.load.LoadGen "$@"; }

run() {  # run NAME ARGS...: one LoadGen invocation, output kept in $out/NAME.log
  local name=$1; shift
  echo "### $name $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg): LoadGen $*" | tee -a "$out/$name.log"
  loadgen "$@" 2>&1 | tee -a "$out/$name.log" | grep -E '^(MEDIAN|connections|deliveries|write-to|writes|server RSS)'
}

nchan_wanted() { [ "${NCHAN:-1}" != 0 ]; }  # NCHAN=0 skips every nchan run

nchan_up() {
  if [ ! -s "$nchan_dir/nginx.pid" ] || ! kill -0 "$(cat "$nchan_dir/nginx.pid")" 2>/dev/null; then
    bash /work/shared/bench/nchan/start.sh "$nchan_port" "$nchan_dir" 1 >/dev/null
    for _ in $(seq 50); do [ -s "$nchan_dir/nginx.pid" ] && break; sleep 0.1; done
  fi
  nchan=(--target nchan --url "http://127.0.0.1:$nchan_port" --server-pid "$(cat "$nchan_dir/nginx.pid")")
}

nchan_down() {  # graceful stop of the nginx this script started, and wait until it is gone
  [ -s "$nchan_dir/nginx.pid" ] || return 0
  local pid; pid=$(cat "$nchan_dir/nginx.pid")
  kill -QUIT "$pid" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$nchan_dir/nginx.pid"
}

floor_up() {  # floor_up NAME MODE [TRANSPORT]: a FloorServer (MODE per-write or coalesce; TRANSPORT auto, epoll or nio) with the spawned server's JVM options; it lives while fd 5 (its stdin) is open
  local fifo; fifo=$(mktemp -u /tmp/jq-sse-floor.XXXXXX)
  mkfifo "$fifo"
  IO_TRANSPORT="${3:-${IO_TRANSPORT:-auto}}" java -Xms32m -Xmx1g -Xmn16m -XX:+UseSerialGC -cp "$jar" io.jqsse.bench.load.FloorServer "$floor_port" "$2" \
    < "$fifo" > "$out/$1-server.out" 2>&1 &
  floor_java=$!
  exec 5> "$fifo"
  rm -f "$fifo"
  for _ in $(seq 100); do grep -q '^LISTENING' "$out/$1-server.out" && break; sleep 0.1; done
  if ! grep -q '^LISTENING' "$out/$1-server.out"; then
    echo "FloorServer did not start (see $out/$1-server.out)" >&2
    exit 1
  fi
  floor=(--url "http://127.0.0.1:$floor_port" --server-pid "$floor_java")
}

floor_down() {  # closes the FloorServer's stdin and waits until it is gone
  [ -n "${floor_java:-}" ] || return 0
  exec 5>&-
  wait "$floor_java"
  floor_java=
}

warm=(--warmup-runs 1 --runs 3)

idle() {  # a fresh server per run: RSS growth is only meaningful from a cold start
  for i in 1 2 3; do
    run idle-19k-jqsse --spawn-server --subscribers 19000 --processes 4 --sources 8 --writes-per-second 0 --duration 3 --settle 5 --drain 2
  done
  nchan_wanted || return 0
  for i in 1 2 3; do
    nchan_down; nchan_up
    run idle-19k-nchan "${nchan[@]}" --subscribers 19000 --processes 4 --sources 8 --writes-per-second 0 --duration 3 --settle 5 --drain 2
  done
  nchan_down
}

idle_warm() {  # one server, one warm-up wave: the steady-state cost of a connection, without start-up costs
  run idle-19k-warm-jqsse --spawn-server "${warm[@]}" --subscribers 19000 --processes 4 --sources 8 --writes-per-second 0 --duration 3 --settle 5 --drain 2
}

connect5k() {
  run connect-5k-jqsse --spawn-server "${warm[@]}" --subscribers 5000 --sources 4 --writes-per-second 0 --duration 1 --settle 1 --drain 1
  nchan_wanted || return 0
  nchan_up
  run connect-5k-nchan "${nchan[@]}" "${warm[@]}" --subscribers 5000 --sources 4 --writes-per-second 0 --duration 1 --settle 1 --drain 1
}

fanout_max() {
  for n in ${FANOUT_SIZES:-1000 10000}; do
    run fanout-max-$n-jqsse --spawn-server "${warm[@]}" --subscribers $n --processes 2 --sources 4 --writes-per-second max --publishers 2 --duration 10 --settle 2 --drain 20
    nchan_wanted || continue
    nchan_up
    run fanout-max-$n-nchan "${nchan[@]}" "${warm[@]}" --subscribers $n --processes 2 --sources 4 --writes-per-second max --publishers 2 --duration 10 --settle 2 --drain 20
  done
}

fanout_10() {
  for n in ${FANOUT_SIZES:-1000 10000 19000}; do
    p=$(( n > 10000 ? 4 : 2 ))
    run fanout-10wps-$n-jqsse --spawn-server "${warm[@]}" --subscribers $n --processes $p --sources 8 --writes-per-second 10 --duration 15 --settle 2 --drain 10
    [ $n -gt 10000 ] && continue
    nchan_wanted || continue
    nchan_up
    run fanout-10wps-$n-nchan "${nchan[@]}" "${warm[@]}" --subscribers $n --processes $p --sources 8 --writes-per-second 10 --duration 15 --settle 2 --drain 10
  done
}

floor() {  # fanout_10 against FloorServer (the least work a server can do), then jq-sse right after
  for n in ${FANOUT_SIZES:-10000}; do
    for mode in ${FLOOR_MODES:-per-write coalesce}; do
      for transport in ${FLOOR_TRANSPORTS:-${IO_TRANSPORT:-auto}}; do
        name=fanout-10wps-$n-floor-$mode; [ "$transport" = epoll ] || [ "$transport" = auto ] || name=$name-$transport
        floor_up "$name" "$mode" "$transport"
        run "$name" "${floor[@]}" "${warm[@]}" --subscribers $n --processes 2 --sources 8 --writes-per-second 10 --duration 15 --settle 2 --drain 10
        floor_down
      done
    done
    run fanout-10wps-$n-jqsse --spawn-server "${warm[@]}" --subscribers $n --processes 2 --sources 8 --writes-per-second 10 --duration 15 --settle 2 --drain 10
  done
}

sweep() {  # the highest write rate at which every event still reaches 10,000 subscribers (no conflation)
  for w in ${SWEEP_RATES:-20 40 80}; do
    run sweep-${w}wps-10000-jqsse --spawn-server "${warm[@]}" --subscribers 10000 --processes 2 --sources 8 --writes-per-second $w --duration 10 --settle 2 --drain 10
  done
}

filters() {  # 10,000 subscribers over K distinct item filters; writes to random items of 10,000
  for k in ${FILTER_COUNTS:-1000 10 10000}; do
    run filters-$k-jqsse --spawn-server "${warm[@]}" --subscribers 10000 --processes 2 --sources 8 --init-items 10000 \
      --filter '.items[{i}]' --filter-keys $k --write-path '.items[{i}]' --write-keys 10000 \
      --writes-per-second 100 --duration 15 --settle 2 --drain 10
  done
}

documents() {
  for g in ${DOCUMENT_GROUPS:-12 118 1180}; do
    echo "### documents-$g $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/documents.log"
    for i in 1 2 3; do
      java -cp "$jar" io.jqsse.bench.load.LargeDocuments $g 5 2000 2>&1 | tee -a "$out/documents.log"
    done
  done
}

scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(idle connect5k fanout_max fanout_10 filters documents)
for s in "${scenarios[@]}"; do "$s"; done
if nchan_wanted; then nchan_down; fi
