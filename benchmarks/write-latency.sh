#!/usr/bin/env bash
# write-latency.sh NAME "SERVER_JVM_OPTS" LOADGEN_ARGS... : starts server/target/jq-sse.jar on 127.0.0.1:18080, runs LoadGen
# against it, then prints the difference of the server's write_duration_seconds histogram over the session.
# LOADGEN_JVM sets the load generator's JVM options (default: -Xmx1g -XX:+UseSerialGC).
# Needs benchmarks/target/benchmarks.jar and server/target/jq-sse.jar; OUT (default .) receives the files.
OUT=$(cd "${OUT:-.}" && pwd)
set -u
name=$1; jvm=$2; shift 2
cd "$(dirname "$0")/.."
PORT=18080 HOST=127.0.0.1 java $jvm -jar server/target/jq-sse.jar > $OUT/$name.server.txt 2>&1 &
spid=$!
for i in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:18080/health && break; sleep 0.2; done
curl -s http://127.0.0.1:18080/metrics > $OUT/$name.metrics0.json
echo "### $name $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg) server: $jvm; LoadGen $*" > $OUT/$name.txt
timeout 600 java ${LOADGEN_JVM:--Xmx1g -XX:+UseSerialGC} -cp benchmarks/target/benchmarks.jar io.jqsse.bench.load.LoadGen --url http://127.0.0.1:18080 --server-pid $spid "$@" >> $OUT/$name.txt 2>&1
curl -s http://127.0.0.1:18080/metrics > $OUT/$name.metrics1.json
kill $spid; wait $spid 2>/dev/null
python3 - $OUT/$name.metrics0.json $OUT/$name.metrics1.json <<'PY' | tee -a $OUT/$name.txt
import json,sys
a=json.load(open(sys.argv[1]))["histograms"]["write_duration_seconds"]; b=json.load(open(sys.argv[2]))["histograms"]["write_duration_seconds"]
n=b["count"]-a["count"]
print("server-side write durations over the whole session: %d writes" % n)
for k,v in b["buckets"].items():
    d=v-a["buckets"][k]
    print("  <= %-8s %7d  %6.2f%%" % (k, d, 100.0*d/max(1,n)))
PY
grep -E "^(MEDIAN|run|connections|deliveries|write-to|writes|server)" $OUT/$name.txt | tail -12
