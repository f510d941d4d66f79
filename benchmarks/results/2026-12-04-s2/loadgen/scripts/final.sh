#!/bin/bash
# final.sh SET: before/after clients against one jq-sse server build (after.jar's) and against nchan
set -u
set=$1
out=/work/main/benchmarks/results/2026-12-04-s2/loadgen
if [ "${CFG:-doc}" = brief ]; then  # the issue's command: one subscriber process (this JVM), one source address
  C=(--subscribers 10000 --writes-per-second 10 --duration 15 --warmup-runs 1 --runs 3)
else  # run-load.sh fanout_10 at 10,000
  C=(--subscribers 10000 --processes 2 --sources 8 --writes-per-second 10 --duration 15 --settle 2 --drain 10 --warmup-runs 1 --runs 3)
fi
fifo=/tmp/lg/srv.fifo; rm -f $fifo; mkfifo $fifo
for client in ${CLIENTS:-before after}; do
  # a fresh jq-sse server from after.jar, the JVM options --spawn-server gives; it stops when its stdin closes
  java -Xms32m -Xmx1g -Xmn16m -XX:+UseSerialGC -cp /tmp/lg/after.jar io.jqsse.bench.load.BenchServer 18601 < $fifo > /tmp/lg/server.out 2>&1 &
  spid=$!
  exec 3> $fifo
  for i in $(seq 100); do grep -q LISTENING /tmp/lg/server.out && break; sleep 0.2; done
  /tmp/lg/m.sh /tmp/lg/$client.jar $set-$client-jqsse --url http://127.0.0.1:18601 --server-pid $spid "${C[@]}" | grep -E "^(###)"
  exec 3>&-
  wait $spid
  /tmp/lg/m.sh /tmp/lg/$client.jar $set-$client-nchan --target nchan --url http://127.0.0.1:9191 --server-pid $(cat /tmp/jq-sse-nchan/nginx.pid) "${C[@]}" | grep -E "^(###)"
done
