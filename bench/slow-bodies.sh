#!/usr/bin/env bash
# Resolve while slow request bodies are held open (issue 9, item 7): SLOW connections announce a
# 100 kB fleet report with a report-scope token, then send one byte every DRIP seconds; a connection
# the server answers or closes is reopened 0.2 s later, so SLOW stay open for the whole run. Resolve
# is measured with wrk, alternating rounds without and with the attack, each round both on
# keep-alive connections and with a new connection per request (Connection: close: a provisioner's
# first request, the case that needs the server's thread pool to accept the connection).
#
#   bench/slow-bodies.sh              # defaults: SLOW=300 DRIP=2 THREADS=2 CONNECTIONS=16 DURATION=10s WARMUP=15s ROUNDS=2
#   LOCKSTEP_HOME=/tmp/lockstep-before bench/slow-bodies.sh   # another checkout's ./lockstep (e.g. before a change)
#
# Needs: wrk, curl, python3, Java 17, Maven. wrk, the attacker and the server share this machine's cores.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require wrk curl python3
SLOW="${SLOW:-300}" DRIP="${DRIP:-2}" THREADS="${THREADS:-2}" CONNECTIONS="${CONNECTIONS:-16}"
DURATION="${DURATION:-10s}" WARMUP="${WARMUP:-15s}" ROUNDS="${ROUNDS:-2}"
QUERY="/api/v1/resolve?environment=prod&kind=platform"
[ -n "${LOCKSTEP_HOME:-}" ] && REPO="$LOCKSTEP_HOME"

start_lockstep lockstep "jdbc:sqlite:$WORK/data/lockstep.db"
for t in claude-code platform-agent hermes codex openclaw; do
  promote "$LOCKSTEP_URL" "$t" "$(digest_of "$t-new")"
done
PORT="${LOCKSTEP_URL##*:}"

cat >"$WORK/slow.py" <<'PY'
import selectors, socket, sys, time, collections
port, count, drip, token, status_file = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
head = ("POST /api/v1/fleet/reports HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token +
        "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{").encode()
sel, conns, statuses, reopen = selectors.DefaultSelector(), {}, collections.Counter(), []
def connect():
    s = socket.create_connection(("127.0.0.1", port)); s.sendall(head); s.setblocking(False)
    sel.register(s, selectors.EVENT_READ); conns[s] = b""
def drop(s):
    sel.unregister(s); conns.pop(s); s.close(); reopen.append(time.monotonic() + 0.2)
for _ in range(count): connect()
next_drip = time.monotonic() + drip
while True:
    for key, _ in sel.select(timeout=0.05):
        s = key.fileobj
        try: data = s.recv(4096)
        except OSError: data = b""
        conns[s] += data
        if not data or b"\r\n\r\n" in conns[s]:
            if conns[s].startswith(b"HTTP/1.1 "): statuses[conns[s][9:12].decode()] += 1
            drop(s)
    now = time.monotonic()
    while reopen and reopen[0] <= now: reopen.pop(0); connect()
    if now >= next_drip:
        next_drip = now + drip
        for s in list(conns):
            try: s.send(b" ")
            except OSError: drop(s)
        with open(status_file, "w") as f: f.write(f"open={len(conns)} " + " ".join(f"{k}={v}" for k, v in sorted(statuses.items())))
PY

run_wrk() { # NAME EXTRA_HEADER DURATION
  if [ -n "$2" ]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency -H "Authorization: Bearer $BENCH_READ_TOKEN" -H "$2" "$LOCKSTEP_URL$QUERY" >"$WORK/$1.wrk"
  else
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency -H "Authorization: Bearer $BENCH_READ_TOKEN" "$LOCKSTEP_URL$QUERY" >"$WORK/$1.wrk"
  fi
}
echo "resolve under $SLOW slow bodies (1 byte / ${DRIP}s, report token): wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency;" \
  "$ROUNDS alternating rounds; $(nproc) cores shared by wrk, the attacker and the server; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run_wrk warm "" "$WARMUP"
printf '%-6s %-7s %-11s %12s %10s %10s %16s  %s\n' round phase connections 'requests/s' 'p99 ms' 'non-2xx' 'socket errors' 'slow-body answers'
for round in $(seq 1 "$ROUNDS"); do
  for phase in quiet attack; do
    answers="-"
    if [ "$phase" = attack ]; then
      python3 "$WORK/slow.py" "$PORT" "$SLOW" "$DRIP" "$BENCH_REPORT_TOKEN" "$WORK/slow.status" &
      ATTACK=$!; PIDS+=("$ATTACK")
      sleep "$((DRIP * 2 + 1))" # every connection sent its headers and the server started reading
    fi
    for mode in keep-alive close; do
      header=""; [ "$mode" = close ] && header="Connection: close"
      run_wrk "$phase-$mode-$round" "$header" "$DURATION"
      read -r rps p99 err _ <<<"$(wrk_field "$WORK/$phase-$mode-$round.wrk")"
      sock="$(grep -o 'Socket errors: .*' "$WORK/$phase-$mode-$round.wrk" | sed 's/Socket errors: //' || true)"
      [ "$phase" = attack ] && answers="$(cat "$WORK/slow.status" 2>/dev/null || echo '?')"
      printf '%-6s %-7s %-11s %12s %10s %10s %16s  %s\n' "$round" "$phase" "$mode" "$rps" "$p99" "$err" "${sock:-none}" "$answers"
      if [ "${VERBOSE:-0}" = 1 ]; then cat "$WORK/$phase-$mode-$round.wrk"; fi
    done
    if [ "$phase" = attack ]; then kill "$ATTACK" 2>/dev/null || true; wait "$ATTACK" 2>/dev/null || true; fi
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
