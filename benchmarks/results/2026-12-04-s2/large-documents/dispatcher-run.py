# POSTs of the 16 MB document with S SSE streams open on a few filters; per-thread server CPU from /proc.
import http.client, subprocess, sys, time, os, socket, threading, statistics
jar = sys.argv[1]; filters = sys.argv[2].split(';') if len(sys.argv) > 2 and sys.argv[2] else []; posts = int(sys.argv[3]) if len(sys.argv) > 3 else 6
def doc(groups=1180):
    parts = []
    for g in range(groups):
        items = []
        for i in range(100):
            score = ((g * 31 + i * 17) % 1000) / 10.0
            items.append('"i%d":{"value":%d,"name":"item %d/%d with a name long enough to matter","tags":["alpha","beta","gamma"],"active":%s,"score":%s}'
                         % (i, g * 100 + i, g, i, 'true' if (g + i) % 2 == 0 else 'false', repr(score)))
        parts.append('"g%d":{%s}' % (g, ','.join(items)))
    return ('{"data":{%s}}' % ','.join(parts)).encode()
body = doc()
jvm = (sys.argv[4] if len(sys.argv) > 4 else '-Xmx2g -XX:+UseParallelGC').split()
srv = subprocess.Popen(['java'] + jvm + ['-cp', jar, 'io.jqsse.bench.load.BenchServer', '0'],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
line = srv.stdout.readline().decode().split(); port, pid = int(line[1]), int(line[2])
def ticks():
    out = {}
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            name = open('/proc/%d/task/%s/comm' % (pid, tid)).read().strip()
            f = open('/proc/%d/task/%s/stat' % (pid, tid)).read().rsplit(')', 1)[1].split()
            out[(tid, name)] = int(f[11]) + int(f[12])
        except OSError:
            pass
    return out
def post():
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
    t0 = time.time(); c.request('POST', '/store', body, {'Content-Type': 'application/json'}); r = c.getresponse(); r.read()
    assert r.status == 200, r.status
    return (time.time() - t0) * 1000
post()
received = [0] * len(filters)
def stream(k, f):
    s = socket.create_connection(('127.0.0.1', port))
    s.sendall(('GET /events?filter=%s HTTP/1.1\r\nHost: x\r\n\r\n' % f).encode())
    while True:
        b = s.recv(1 << 20)
        if not b: return
        received[k] += len(b)
for k, f in enumerate(filters):
    threading.Thread(target=stream, args=(k, f), daemon=True).start()
time.sleep(3)
before = ticks(); walls = []
for i in range(posts):
    walls.append(post()); time.sleep(1.5)
after = ticks()
by = {}
for key, v in after.items():
    name = key[1]
    name = 'GC' if 'GC' in name else name
    by[name] = by.get(name, 0) + v - before.get(key, 0)
print('filters', filters, 'posts', posts, 'POST wall median %.0f ms' % statistics.median(walls), 'stream bytes', received)
for name, t in sorted(by.items(), key=lambda x: -x[1]):
    if t: print('  %-20s %6.0f ms CPU per POST' % (name, t * 10 / posts))
srv.stdin.close(); srv.wait()
