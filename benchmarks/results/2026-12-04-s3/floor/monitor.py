#!/usr/bin/env python3
"""Every 2 s, in % of one core (200% = both cores of this machine):
- machine: user, system, softirq, idle from /proc/stat (softirq is where loopback TCP's receive path
  runs; with IRQ time accounting the kernel charges it to no process);
- ours: the server (the process whose command line names FloorServer, BenchServer or jq-sse.jar) and
  the load generator (the rest of ROOT_PID's tree), user and system each;
- others: every process outside ROOT_PID's tree and this monitor, with the busiest one.
Tells a quiet run from one that shared the 2 cores with someone's build or tests.
Usage: monitor.py ROOT_PID > monitor.log (stops when ROOT_PID exits)."""
import os
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
root = int(sys.argv[1])
me = os.getpid()
SERVERS = ("FloorServer", "BenchServer", "jq-sse.jar")


def snapshot():
    procs = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
            with open(f"/proc/{d}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        rest = s[s.rindex(")") + 2:].split()
        procs[int(d)] = (int(rest[1]), int(rest[11]), int(rest[12]), cmd)  # ppid, utime, stime, cmd
    return procs


def machine():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return {"user": v[0] + v[1], "sys": v[2], "idle": v[3] + v[4], "softirq": v[5] + v[6]}


def tree(procs):
    mine = {root, me}
    grew = True
    while grew:
        grew = False
        for pid, p in procs.items():
            if p[0] in mine and pid not in mine:
                mine.add(pid)
                grew = True
    return mine


def pct(ticks):
    return 100.0 * ticks / HZ / 2


before, mbefore = snapshot(), machine()
print("time     machine: user sys softirq idle | server: user sys | loadgen: user sys | others (busiest)", flush=True)
while os.path.exists(f"/proc/{root}"):
    time.sleep(2)
    now, mnow = snapshot(), machine()
    mine = tree(now)
    sums = {"su": 0, "ss": 0, "cu": 0, "cs": 0}
    others = []
    for pid, (_, u, s, cmd) in now.items():
        bu, bs = before[pid][1:3] if pid in before else (0, 0)
        du, ds = u - bu, s - bs
        if pid == me:
            continue
        if pid in mine:
            kind = "s" if any(x in cmd for x in SERVERS) else "c"
            sums[kind + "u"] += du
            sums[kind + "s"] += ds
        elif du + ds > 0:
            others.append((du + ds, pid, cmd))
    others.sort(reverse=True)
    top = f"{others[0][1]} {others[0][2][:80]}" if others else "-"
    m = {k: mnow[k] - mbefore[k] for k in mnow}
    print(f"{time.strftime('%H:%M:%S', time.gmtime())} machine {pct(m['user']):4.0f} {pct(m['sys']):4.0f}"
          f" {pct(m['softirq']):4.0f} {pct(m['idle']):4.0f} | server {pct(sums['su']):4.0f} {pct(sums['ss']):4.0f}"
          f" | loadgen {pct(sums['cu']):4.0f} {pct(sums['cs']):4.0f} | others {pct(sum(o[0] for o in others)):4.0f}"
          f" {top}", flush=True)
    before, mbefore = now, mnow
