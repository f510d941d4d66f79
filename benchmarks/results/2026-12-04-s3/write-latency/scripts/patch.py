# PATCH /store?path=.a over one keep-alive connection every INTERVAL s; round trips recorded
import http.client, sys, time
interval = float(sys.argv[1]); count = int(sys.argv[2]); port = int(sys.argv[3]) if len(sys.argv) > 3 else 18080
c = http.client.HTTPConnection("127.0.0.1", port); rtts = []
for i in range(count):
    t0 = time.perf_counter()
    c.request("PATCH", "/store?path=.a", body=str(i), headers={"Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    rtts.append((time.perf_counter() - t0) * 1000); time.sleep(interval)
rtts.sort(); p = lambda q: rtts[min(len(rtts) - 1, int(q * len(rtts)))]
print("interval %.3f s, %d PATCHes: p50 %.3f ms, p90 %.3f, p99 %.3f, max %.3f" % (interval, count, p(.5), p(.9), p(.99), rtts[-1]))
