# One line per write-latency.sh session: medians over its 3 measured runs (the warm-up run left out) of the
# publisher's PATCH p50/p99 and the write-to-delivery p50/p99, and the server's histogram over the whole session.
import re, glob, statistics as st, sys
for f in sorted(glob.glob((sys.argv[1] if len(sys.argv) > 1 else ".") + "/wl-*.txt")):
    if f.endswith("server.txt"):
        continue
    t = open(f).read()
    w = re.findall(r"write latency p50 ([\d.]+) ms p99 ([\d.]+) ms", t)[-3:]
    d = re.findall(r"write-to-delivery latency: p50 ([\d.]+) ms, p90 [\d.]+ ms, p99 ([\d.]+) ms", t)[-3:]
    b = dict(re.findall(r"<= (0\.00[125]|0\.01) +\d+ +([\d.]+)%", t))
    print("%-16s PATCH p50 %5.2f p99 %5.2f | delivery p50 %5.1f p99 %5.1f | server <=1ms %s%% <=2ms %s%% <=5ms %s%%" % (
        f.split("/")[-1][:-4], st.median(float(x[0]) for x in w), st.median(float(x[1]) for x in w),
        st.median(float(x[0]) for x in d), st.median(float(x[1]) for x in d), b.get("0.001"), b.get("0.002"), b.get("0.005")))
