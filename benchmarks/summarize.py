#!/usr/bin/env python3
"""Prints one markdown table row per LoadGen log (its MEDIAN line, or its RESULT lines' medians).

Usage: summarize.py benchmarks/results/<date>/*.log
"""
import json
import statistics
import sys

FIELDS = ["connected", "connectAllMs", "rssPerConnectionBytes", "serverCpuNsPerDelivery", "clientCpuMs",
          "clientCpuNsPerDelivery", "writesOk", "writeP50Ms", "writeP99Ms",
          "deliveries", "expectedDeliveries", "inits", "deliveredPerSecond", "latencyP50Ms", "latencyP99Ms",
          "groupEvaluations", "loadAverage"]


def rows(path):
    """The MEDIAN of the log's last invocation (after its last ### header) or, when that has none
    (one run per invocation, e.g. a fresh server per run), the medians over all RESULT lines."""
    lines = open(path).read().splitlines()
    starts = [i for i, l in enumerate(lines) if l.startswith("### ")]
    for line in lines[starts[-1] if starts else 0:]:
        if line.startswith("MEDIAN "):
            return json.loads(line[7:])
    results = [json.loads(l[7:]) for l in lines if l.startswith("RESULT ")]
    if not results:
        return None
    median = {f: statistics.median_low([r.get(f, -1) for r in results]) for f in FIELDS}
    median["runs"] = len(results)
    return median


print("| log | runs | " + " | ".join(FIELDS) + " |")
print("|---" * (len(FIELDS) + 2) + "|")
for p in sys.argv[1:]:
    m = rows(p)
    if m:
        cells = [("%.1f" % m[f]) if isinstance(m.get(f), float) else str(m.get(f, "")) for f in FIELDS]
        print("| %s | %s | %s |" % (p.split("/")[-1][:-4], m.get("runs", 1), " | ".join(cells)))
