# loopback TCP ping-pong: a 100-byte request every INTERVAL seconds, the echo's round trip recorded
import socket, sys, threading, time
interval = float(sys.argv[1]); count = int(sys.argv[2])
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(("127.0.0.1", 0)); srv.listen(1)
port = srv.getsockname()[1]
def echo():
    c, _ = srv.accept(); c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        d = c.recv(4096)
        if not d: return
        c.sendall(d)
threading.Thread(target=echo, daemon=True).start()
s = socket.create_connection(("127.0.0.1", port)); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
msg = b"x" * 100; rtts = []
for i in range(count):
    t0 = time.perf_counter(); s.sendall(msg); got = 0
    while got < len(msg): got += len(s.recv(4096))
    rtts.append((time.perf_counter() - t0) * 1000); time.sleep(interval)
rtts.sort()
p = lambda q: rtts[min(len(rtts) - 1, int(q * len(rtts)))]
print("interval %.3f s, %d round trips: p50 %.3f ms, p90 %.3f, p99 %.3f, max %.3f" % (interval, count, p(.5), p(.9), p(.99), rtts[-1]))
