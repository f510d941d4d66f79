#!/usr/bin/env bash
# POST of 16 MB with ParallelGC and a small young generation (the question: can one option set keep idle
# connections under 4 KiB and POSTs under 150 ms?), alternating with the dense-deployment SerialGC options.
cd "$(dirname "$0")"
for round in 1 2 3; do
  for opts in "-Xms64m -Xmx2g -Xmn16m -XX:+UseParallelGC" "-Xms64m -Xmx2g -Xmn32m -XX:+UseParallelGC" "-Xms64m -Xmx2g -Xmn16m -XX:+UseSerialGC"; do
    echo "### round $round serverJvmOptions='$opts' $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
    java -DwarmupPosts=3 "-DserverJvmOptions=$opts" -cp ../../../target/benchmarks.jar io.jqsse.bench.load.LargeDocuments 1180 10 200 2>&1
  done
done
echo DONE
