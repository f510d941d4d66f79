#!/usr/bin/env bash
cd /work/main
base=benchmarks/results/2026-12-04-s4/transport
for pass in 1 2; do
  if [ $pass = 1 ]; then order="epoll io_uring"; else order="io_uring epoll"; fi
  for t in $order; do
    IO_TRANSPORT=$t OUT=$base/fanout10-$t NCHAN_DIR=/tmp/none FANOUT_SIZES=10000 benchmarks/run-load.sh fanout_10
  done
done
for t in epoll io_uring; do
  IO_TRANSPORT=$t OUT=$base/idle-$t NCHAN_DIR=/tmp/none benchmarks/run-load.sh idle
done
for t in io_uring epoll; do
  IO_TRANSPORT=$t OUT=$base/sweep-$t NCHAN_DIR=/tmp/none SWEEP_RATES="20 160" benchmarks/run-load.sh sweep
done
echo BATCH_DONE
