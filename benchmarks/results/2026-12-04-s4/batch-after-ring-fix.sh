#!/usr/bin/env bash
# Session 4, io_uring stream loops with Netty's submission ring (128) and a 65,536-entry completion queue.
cd /work/main
base=benchmarks/results/2026-12-04-s4/after-ring-fix
export NCHAN=0
OUT=$base/floor FANOUT_SIZES=10000 FLOOR_MODES=per-write FLOOR_TRANSPORTS="io_uring" benchmarks/run-load.sh floor
for t in io_uring epoll io_uring; do
  IO_TRANSPORT=$t OUT=$base/fanout10-$t FANOUT_SIZES=10000 benchmarks/run-load.sh fanout_10
done
IO_TRANSPORT=io_uring OUT=$base/idle-io_uring benchmarks/run-load.sh idle
for t in io_uring epoll; do
  IO_TRANSPORT=$t OUT=$base/sweep-$t SWEEP_RATES="160" benchmarks/run-load.sh sweep
done
echo BATCH_DONE
