# Shared by the bench scripts: tool checks, a free port, starting/stopping Lockstep, wrk parsing.
# Sourced, not executed.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
WORK="$(mktemp -d /tmp/lockstep-bench.XXXXXX)"
export BENCH_READ_TOKEN="bench-read-$RANDOM$RANDOM"
export BENCH_PROMOTE_TOKEN="bench-promote-$RANDOM$RANDOM"
export BENCH_REPORT_TOKEN="bench-report-$RANDOM$RANDOM"
export BENCH_ADMIN_TOKEN="bench-admin-$RANDOM$RANDOM"
# GATES=all: prod with every promotion policy configured (bench/lockstep-bench-gates.yaml)
BENCH_CONFIG="${BENCH_CONFIG:-$BENCH_DIR/lockstep-bench.yaml}"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

require() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || {
      echo "bench: '$tool' is missing; install it with: apt-get install -y ${tool/nginx/nginx-light}" >&2
      exit 2
    }
  done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_lockstep NAME DATABASE_URL [USER PASSWORD]: starts ./lockstep serve, waits for /readyz,
# sets LOCKSTEP_URL. Logs go to $WORK/NAME.log.
start_lockstep() {
  local name="$1" url="$2" user="${3:-}" password="${4:-}" port
  port="$(free_port)"
  (cd "$WORK" && LOCKSTEP_PORT="$port" LOCKSTEP_DATABASE_URL="$url" LOCKSTEP_DATABASE_USER="$user" \
     LOCKSTEP_DATABASE_PASSWORD="$password" LOCKSTEP_LOG_LEVEL=WARN \
     exec "$REPO/lockstep" serve --config "$BENCH_CONFIG" >"$WORK/$name.log" 2>&1) &
  PIDS+=($!)
  LOCKSTEP_PID=$!
  LOCKSTEP_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 600); do
    if curl -fs "$LOCKSTEP_URL/readyz" >/dev/null 2>&1; then return 0; fi
    kill -0 "$LOCKSTEP_PID" 2>/dev/null || { echo "bench: Lockstep did not start:" >&2; cat "$WORK/$name.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "bench: Lockstep not ready after 60 s" >&2; exit 1
}

stop_lockstep() {
  kill "$LOCKSTEP_PID" 2>/dev/null || true
  wait "$LOCKSTEP_PID" 2>/dev/null || true
}

# promote URL TEMPLATE DIGEST: one promote through the native API; fails on a non-2xx.
promote() {
  curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $BENCH_PROMOTE_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"image_digest\":\"$3\",\"git_sha\":\"19f3175\",\"runtime_version\":\"2026.05.1\",\"notes\":\"bench\"}" \
    "$1/api/v1/environments/prod/pins/$2/promote"
}

digest_of() {
  echo "sha256:$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)"
}

# cpu_ticks PID: user+system CPU of a process (all its threads) in clock ticks, from /proc. On a
# shared, noisy machine the server's CPU per request is steadier than its throughput.
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat"
}

# cpu_ms_per_request TICKS_BEFORE TICKS_AFTER WRK_FILE: server CPU milliseconds per answered request.
cpu_ms_per_request() {
  python3 - "$1" "$2" "$3" "$(getconf CLK_TCK)" <<'PY'
import re, sys
before, after, path, hz = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
requests = int(re.search(r"(\d+) requests in", open(path).read()).group(1))
print(f"{(after - before) * 1000.0 / hz / max(requests, 1):.3f}")
PY
}

# wrk_field FILE: prints "<requests/s> <p99>" from a `wrk --latency` output, p99 in milliseconds.
wrk_field() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)] if m else float("nan")  # no answers at all
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sock = re.search(r"Socket errors: (.*)", text)
print(f"{rps:.0f} {p99:.2f} {errors.group(1) if errors else 0} {'yes' if sock else 'no'}")
PY
}
