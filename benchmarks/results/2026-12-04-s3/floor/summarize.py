#!/usr/bin/env python3
"""Prints the table rows of README.md from the raw logs: per invocation (one LoadGen log), each
measured run's p50/p99 and CPU per delivery, and the medians of the 3 measured runs (the MEDIAN
line). With a monitor-split.log next to the logs, also the user/system split of the server and the
load generator over the samples between the invocation's start and the next one's, counting only
those with at least 60% of the invocation's peak softirq time (steady publishing: loopback delivery
is what makes softirq work; connecting, JIT warm-up, settling and draining are left out), and at
least 10 of them. The kernel here (TICK_CPU_ACCOUNTING, no IRQ_TIME_ACCOUNTING) charges softirq
ticks to the process they interrupt, so a process's system time includes the loopback receive path
it ran; the machine's line splits system from softirq.
Usage: summarize.py PASS_DIR..."""
import glob
import json
import os
import re
import sys


def runs(log):
    res = [json.loads(l[len("RESULT "):]) for l in open(log) if l.startswith("RESULT ")]
    med = [json.loads(l[len("MEDIAN "):]) for l in open(log) if l.startswith("MEDIAN ")]
    start = re.search(r"^### \S+ (\d\d:\d\d:\d\d) load ([\d.]+)", open(log).read(), re.M)
    return res[1:], med[0] if med else None, start.group(1), start.group(2)


def split(monitor, t0, t1):
    tot = {"mu": 0.0, "ms": 0.0, "su": 0.0, "ss": 0.0, "cu": 0.0, "cs": 0.0, "soft": 0.0, "idle": 0.0, "others": 0.0,
           "n": 0}
    if not os.path.exists(monitor):
        return None
    samples = []
    for l in open(monitor):
        m = re.match(r"(\S+) machine +(\d+) +(\d+) +(\d+) +(\d+) \| server +(\d+) +(\d+) \| loadgen +(\d+) +(\d+)"
                     r" \| others +(\d+)", l)
        if m and t0 <= m.group(1) < t1:
            samples.append([int(x) for x in m.groups()[1:]])
    peak = max((v[2] for v in samples), default=0)
    for v in samples:
        if v[2] < 0.6 * peak:
            continue
        for k, x in zip(("mu", "ms", "soft", "idle", "su", "ss", "cu", "cs", "others"), v):
            tot[k] += x
        tot["n"] += 1
    return tot if tot["n"] >= 10 else None


for d in sys.argv[1:]:
    logs = sorted(glob.glob(os.path.join(d, "fanout-*.log")), key=lambda p: runs(p)[2])
    starts = [runs(p)[2] for p in logs] + ["99:99:99"]
    for i, p in enumerate(logs):
        rs, med, t0, load = runs(p)
        name = os.path.basename(p)[len("fanout-10wps-"):-len(".log")]
        per = "; ".join(f"{r['latencyP50Ms']:.1f}/{r['latencyP99Ms']:.1f}" for r in rs)
        loads = "/".join(f"{r['loadAverage']:.2f}" for r in rs)
        print(f"{d} {name} start {t0} (load {load}) runs p50/p99: {per}; load {loads}")
        print(f"  median: delivered {med['deliveries']:.0f}/{med['expectedDeliveries']:.0f}, p50 {med['latencyP50Ms']:.1f}"
              f" ms, p99 {med['latencyP99Ms']:.1f} ms, PATCH p50/p99 {med['writeP50Ms']:.1f}/{med['writeP99Ms']:.1f} ms,"
              f" server {med['serverCpuNsPerDelivery'] / 1000:.2f} us, client {med['clientCpuNsPerDelivery'] / 1000:.2f} us")
        s = split(os.path.join(d, "monitor-split.log"), t0, starts[i + 1])
        if s:
            n = s["n"]
            us = 1e4 / (med["subscribers"] * 10)  # us of CPU per delivery for 1% of a core at 10 writes/s
            print(f"  while publishing ({n} samples, % of one core): server user {s['su'] / n:.0f} sys {s['ss'] / n:.0f},"
                  f" loadgen user {s['cu'] / n:.0f} sys {s['cs'] / n:.0f}; machine user {s['mu'] / n:.0f}"
                  f" sys {s['ms'] / n:.0f} softirq {s['soft'] / n:.0f} idle {s['idle'] / n:.0f}, others {s['others'] / n:.0f}")
            print(f"  per delivery (us): machine user {s['mu'] / n * us:.2f}, kernel (sys + softirq)"
                  f" {(s['ms'] + s['soft']) / n * us:.2f}; server user {s['su'] / n * us:.2f} kernel {s['ss'] / n * us:.2f},"
                  f" loadgen user {s['cu'] / n * us:.2f} kernel {s['cs'] / n * us:.2f}")
