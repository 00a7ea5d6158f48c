#!/usr/bin/env python3
"""Webhook delivery delay for bench/events.sh: a real receiver on loopback plus a paced promote client.

Starts an HTTP receiver on --port that records, per request, the time it arrived and the event it carries
(path /hang-* never answers: a receiver that hangs). Waits for the Lockstep URL in --url-file, promotes a new
digest at --rate per second for --duration seconds (threads keep the pace even when one promote is slow), then
waits for every pin.promoted event to arrive at each subscription path and prints promote latency and
commit-to-receipt delay percentiles. Delay = arrival time - the event's "time" (taken in the promote's
transaction, just before commit, on the same machine's clock).
"""
import argparse, datetime, http.client, http.server, json, os, sys, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--url-file", required=True)
ap.add_argument("--token", default=os.environ.get("BENCH_PROMOTE_TOKEN"))
ap.add_argument("--rate", type=float, default=200)
ap.add_argument("--duration", type=float, default=30)
ap.add_argument("--paths", default="/hook-1", help="comma-separated subscription paths that must receive every event")
args = ap.parse_args()

arrivals = {}  # path -> {event id: (arrival, event time)}
lock = threading.Lock()

class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        now = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path.startswith("/hang"):
            time.sleep(3600)
            return
        event = json.loads(body)
        t = datetime.datetime.fromisoformat(event["time"].replace("Z", "+00:00")).timestamp()
        with lock:
            arrivals.setdefault(self.path, {})[event["id"]] = (now, t, event["type"])
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Receiver)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()

while not (os.path.exists(args.url_file) and open(args.url_file).read().strip()):
    time.sleep(0.1)
base = open(args.url_file).read().strip()
host, port = base.replace("http://", "").split(":")

latencies, failures = [], [0]
templates = ["claude-code", "platform-agent", "hermes", "codex", "openclaw"]
total = int(args.rate * args.duration)
start = time.time() + 0.5
run = int(time.time())

def client(worker, workers):
    conn = http.client.HTTPConnection(host, int(port))
    for i in range(worker, total, workers):
        due = start + i / args.rate
        pause = due - time.time()
        if pause > 0:
            time.sleep(pause)
        digest = "sha256:%016x%048x" % (run, i)
        body = json.dumps({"image_digest": digest, "git_sha": "19f3175", "notes": "bench"})
        t0 = time.time()
        conn.request("POST", "/api/v1/environments/prod/pins/%s/promote" % templates[i % 5], body,
                     {"Content-Type": "application/json", "Authorization": "Bearer " + args.token})
        r = conn.getresponse(); r.read()
        with lock:
            latencies.append((time.time() - t0) * 1000)
            if r.status >= 300:
                failures[0] += 1

workers = 8
threads = [threading.Thread(target=client, args=(w, workers)) for w in range(workers)]
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - start
paths = args.paths.split(",")
deadline = time.time() + 60
while time.time() < deadline:
    with lock:
        got = [sum(1 for v in arrivals.get(p, {}).values() if v[2] == "pin.promoted") for p in paths]
    if all(g >= total - failures[0] for g in got):
        break
    time.sleep(0.2)

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else float("nan")

print("promotes: %d in %.1f s (%.0f/s asked, %.0f/s made), non-2xx %d; promote latency ms p50 %.1f p99 %.1f max %.1f"
      % (total, elapsed, args.rate, total / elapsed, failures[0], pct(latencies, 50), pct(latencies, 99), max(latencies)))
for p in paths:
    got = [v for v in arrivals.get(p, {}).values() if v[2] == "pin.promoted"]
    delays = [(a - t) * 1000 for a, t, _ in got]
    print("%-10s received %d of %d pin.promoted; commit-to-receipt ms p50 %.1f p99 %.1f max %.1f"
          % (p, len(got), total - failures[0], pct(delays, 50), pct(delays, 99), max(delays) if delays else float("nan")))
