#!/bin/bash
# prof2.sh JAR TAG [LoadGen args]: warm-up + 1 run; perf stat (syscalls) + perf record of the subscriber children during the measured run's publishing
jar=$1; tag=$2; shift 2
cd /tmp/lg
java ${PARENT_OPTS:--Xmx1g} -cp $jar io.jqsse.bench.load.LoadGen --spawn-server --warmup-runs 1 --runs 1 "$@" > $tag.log 2>&1 &
lg=$!
until grep -q "^warm-up run 1:" $tag.log; do sleep 0.5; done
sleep 1
for i in $(seq 60); do sleep 0.5; n=$(ss -Htn state established 2>/dev/null | wc -l); [ $n -ge 19900 ] && break; done
sleep 3
kids=$(pgrep -P $lg -f -- '--child' | paste -sd,)
[ -z "$kids" ] && kids=$lg
echo "kids $kids"
perf stat -e task-clock,context-switches,syscalls:sys_enter_read,syscalls:sys_enter_recvfrom,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_write,syscalls:sys_enter_futex,raw_syscalls:sys_enter -p $kids -o $tag.stat -- sleep 4
perf record -o $tag.perf -F 999 -g -p $kids -- sleep 4 2>/dev/null >/dev/null
wait $lg
grep -E "^(run|deliveries|write-to)" $tag.log
cat $tag.stat | grep -v "^#" | grep -v "^$"
