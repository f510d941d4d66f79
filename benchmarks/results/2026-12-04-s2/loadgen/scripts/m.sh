#!/bin/bash
# m.sh JAR NAME [LoadGen args...]: one invocation, log in the results folder
jar=$1; name=$2; shift 2
out=/work/main/benchmarks/results/2026-12-04-s2/loadgen
echo "### $name $(date -u +%T) load $(cat /proc/loadavg) jar $jar: LoadGen $*" >> $out/$name.log
java ${PARENT_OPTS:--Xmx1g} -cp $jar io.jqsse.bench.load.LoadGen "$@" >> $out/$name.log 2>&1
echo "end $(date -u +%T) load $(cat /proc/loadavg)" >> $out/$name.log
grep -E "^(###|run|warm|deliveries|write-to|connections)" $out/$name.log | tail -17 | cut -c1-250
