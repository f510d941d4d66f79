import json, statistics, sys
for p in sys.argv[1:]:
    res = [json.loads(l[7:]) for l in open(p) if l.startswith("RESULT ")]
    meas = res[1:]  # the first is the warm-up run
    def f(r, k):
        if k == "clientNs": return r["clientCpuMs"] * 1e6 / max(1, r["deliveries"])
        return r[k]
    ks = ["clientNs", "serverCpuNsPerDelivery", "latencyP50Ms", "latencyP99Ms", "deliveries", "expectedDeliveries", "inits", "loadAverage"]
    rows = [[f(r, k) for k in ks] for r in meas]
    med = [statistics.median(c) for c in zip(*rows)]
    name = p.split("/")[-1][:-4]
    print(name, "runs", len(meas))
    for r in rows: print("   ", " ".join("%s=%.0f" % (k, v) if v > 100 else "%s=%.1f" % (k, v) for k, v in zip(ks, r)))
    print("  median", " ".join("%s=%.0f" % (k, v) if v > 100 else "%s=%.1f" % (k, v) for k, v in zip(ks, med)))
