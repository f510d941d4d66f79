#!/usr/bin/env bash
# POST of 16 MB: 3 rounds of the 3 JVM option sets, alternating (fresh server each, 3 warm-up POSTs, 10 measured).
cd /work/main/benchmarks/results/2026-12-04-s4/large-documents
for round in 1 2 3; do
  for opts in "-Xms64m -Xmx2g -Xmn16m -XX:+UseSerialGC" "" "-Xmx2g -XX:+UseParallelGC"; do
    echo "### round $round serverJvmOptions='$opts' $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
    java -DwarmupPosts=3 "-DserverJvmOptions=$opts" -cp /work/main/benchmarks/target/benchmarks.jar io.jqsse.bench.load.LargeDocuments 1180 10 200 2>&1
  done
done
echo DONE
