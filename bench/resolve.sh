#!/usr/bin/env bash
# Resolve throughput: Lockstep's GET /api/v1/resolve against nginx serving the same JSON bytes from
# a file (the physical limit of this machine's HTTP stack). Both are measured in this one run with
# identical wrk settings, one after the other so they never share the CPU with each other; wrk
# itself runs on the same 2 cores as the server under test in both cases.
#
#   bench/resolve.sh                  # defaults: THREADS=2 CONNECTIONS=32 DURATION=15s WARMUP=10s ROUNDS=3
#   THREADS=2 CONNECTIONS=64 DURATION=30s bench/resolve.sh
#
# Needs: wrk, nginx (Debian: apt-get install -y wrk nginx-light), python3, curl, Java 17, Maven
# (the ./lockstep launcher builds the jar when it is stale). Set LOCKSTEP_JAVA_OPTS for JVM flags.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require wrk nginx curl python3
THREADS="${THREADS:-2}" CONNECTIONS="${CONNECTIONS:-32}" DURATION="${DURATION:-15s}" WARMUP="${WARMUP:-10s}" ROUNDS="${ROUNDS:-3}"
QUERY="/api/v1/resolve?environment=prod&kind=platform"
CORES="$(nproc)"

start_lockstep lockstep "jdbc:sqlite:$WORK/data/lockstep.db"
for t in claude-code platform-agent hermes codex openclaw; do
  promote "$LOCKSTEP_URL" "$t" "$(digest_of "$t-old")"
  promote "$LOCKSTEP_URL" "$t" "$(digest_of "$t-new")"
done
mkdir -p "$WORK/www" && chmod a+rx "$WORK" "$WORK/www"  # nginx workers run as nobody
curl -fsS -H "Authorization: Bearer $BENCH_READ_TOKEN" "$LOCKSTEP_URL$QUERY" >"$WORK/www/resolve.json"

NGINX_PORT="$(free_port)"
cat >"$WORK/nginx.conf" <<NGINX
worker_processes $CORES;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location = /api/v1/resolve { default_type application/json; try_files /resolve.json =404; }
  }
}
NGINX
nginx -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" &
PIDS+=($!)
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
for _ in $(seq 1 100); do curl -fs -o /dev/null "$NGINX_URL$QUERY" && break; sleep 0.05; done
chmod a+r "$WORK/www/resolve.json"
cmp -s <(curl -fsS "$NGINX_URL$QUERY") "$WORK/www/resolve.json" || { echo "bench: nginx does not serve the resolve body" >&2; exit 1; }

AUTH="Authorization: Bearer $BENCH_READ_TOKEN"
run_wrk() { # NAME URL DURATION
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency -H "$AUTH" "$2$QUERY" >"$WORK/$1.wrk"
}
echo "resolve: $(wc -c <"$WORK/www/resolve.json") byte body, wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency," \
  "warm-up $WARMUP each; $ROUNDS alternating rounds (nginx, then Lockstep), never both at once;" \
  "$CORES cores shared by wrk and the server under test; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run_wrk warm-lockstep "$LOCKSTEP_URL" "$WARMUP"
run_wrk warm-nginx "$NGINX_URL" "$WARMUP"
printf '%-6s %-10s %12s %10s %10s %14s\n' round server 'requests/s' 'p99 ms' 'non-2xx' 'socket errors'
for round in $(seq 1 "$ROUNDS"); do
  for server in nginx lockstep; do
    url="$NGINX_URL"; [ "$server" = lockstep ] && url="$LOCKSTEP_URL"
    run_wrk "$server-$round" "$url" "$DURATION"
    read -r rps p99 err sock <<<"$(wrk_field "$WORK/$server-$round.wrk")"
    printf '%-6s %-10s %12s %10s %10s %14s\n' "$round" "$server" "$rps" "$p99" "$err" "$sock"
    echo "$server $rps $p99 $err" >>"$WORK/results"
    if [ "${VERBOSE:-0}" = 1 ]; then cat "$WORK/$server-$round.wrk"; fi
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
med = {s: (statistics.median(float(r[1]) for r in rows if r[0] == s),
           statistics.median(float(r[2]) for r in rows if r[0] == s)) for s in ("nginx", "lockstep")}
for s, (rps, p99) in med.items():
    print(f"median {s:<9} {rps:10.0f} requests/s   p99 {p99:7.2f} ms")
ratio = med["lockstep"][0] / med["nginx"][0]
print(f"ratio lockstep/nginx (median requests/s): {ratio:.2f}  (target >= 0.70: {'met' if ratio >= 0.7 else 'NOT met'})")
errors = sum(int(r[3]) for r in rows if r[0] == "lockstep")
sys.exit(1 if errors else 0)
PY
