#!/usr/bin/env bash
# Session 4, after the io_uring completion-queue fix (c09ab6c): floor and jq-sse on epoll vs io_uring again.
cd /work/main
base=benchmarks/results/2026-12-04-s4/after-cq-fix
export NCHAN=0
OUT=$base/floor-pass1 FANOUT_SIZES=10000 FLOOR_MODES=per-write FLOOR_TRANSPORTS="io_uring epoll" benchmarks/run-load.sh floor
OUT=$base/floor-pass2 FANOUT_SIZES=10000 FLOOR_MODES=per-write FLOOR_TRANSPORTS="epoll io_uring" benchmarks/run-load.sh floor
for t in io_uring epoll epoll io_uring; do
  IO_TRANSPORT=$t OUT=$base/fanout10-$t FANOUT_SIZES=10000 benchmarks/run-load.sh fanout_10
done
for t in io_uring epoll; do
  IO_TRANSPORT=$t OUT=$base/idle-$t benchmarks/run-load.sh idle
  IO_TRANSPORT=$t OUT=$base/sweep-$t SWEEP_RATES="160" benchmarks/run-load.sh sweep
done
echo BATCH_DONE
