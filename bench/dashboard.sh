#!/usr/bin/env bash
# Dashboard matrix at scale (issue 14): ENVS environments x TEMPLATES templates (groups of 10), every pin
# promoted (through release promotes), FLEET instance reports, then the matrix page (GET /, signed in
# through POST /sign-in with a cookie jar) timed with curl: server time (time_total on loopback) p50/p99
# over COUNT requests after WARM warm-ups, and the page's weight (bytes; gzip -6 bytes).
#
#   bench/dashboard.sh                            # defaults: ENVS=50 TEMPLATES=200 FLEET=1000000 COUNT=50 WARM=10
#   STORE=postgres bench/dashboard.sh             # PostgreSQL on 127.0.0.1:5432 (role/db lockstep); default SQLite
#   FLEET=0 bench/dashboard.sh                    # no instances: the matrix is drift (pins, releases), not fleet,
#                                                 # so this is the quick loop for the matrix (~1 min to load)
#
# The load runs in parallel: pins as release promotes, 4 environments at a time on their own connections; the
# fleet in batches of 50,000 (the largest max_batch_size the server accepts), 4 batches at a time.
#
# Needs: curl, python3, gzip, Java 17, Maven.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require curl python3 gzip
ENVS="${ENVS:-50}" TEMPLATES="${TEMPLATES:-200}" FLEET="${FLEET:-1000000}" COUNT="${COUNT:-50}" WARM="${WARM:-10}"
STORE="${STORE:-sqlite}"
# built before the server's 60 s start-up wait begins
if [ ! -f "$REPO/target/lockstep.jar" ] || [ -n "$(find "$REPO/src/main" "$REPO/pom.xml" -newer "$REPO/target/lockstep.jar" -print -quit)" ]; then
  (cd "$REPO" && mvn -B -q -o -DskipTests package)
fi

BENCH_CONFIG="$WORK/dashboard.yaml"
python3 - "$ENVS" "$TEMPLATES" >"$BENCH_CONFIG" <<'PY'
import sys
envs, templates = int(sys.argv[1]), int(sys.argv[2])
print("server: {host: 127.0.0.1, default_environment: env-00}")
print("database: {pool_size: 8}")
print("fleet: {max_batch_size: 50000}")
print("environments:")
for e in range(envs):
    print(f"  - {{name: env-{e:02d}}}")
print("templates:")
for t in range(templates):
    print(f"  - {{name: t-{t:03d}, repository: registry.example.com/bench/t-{t:03d}, kinds: [k-{t:03d}], group: g-{t // 10:02d}}}")
print("tokens:")
print("  - {name: bench-admin, scopes: [admin], secret_env: BENCH_ADMIN_TOKEN}")
print("  - {name: bench-reader, scopes: [read], secret_env: BENCH_READ_TOKEN}")
PY

if [ "$STORE" = postgres ]; then
  DB="lockstep_bench_dashboard"
  PGPASSWORD=lockstep psql -h 127.0.0.1 -U lockstep -d lockstep -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  start_lockstep dashboard "jdbc:postgresql://127.0.0.1:5432/$DB" lockstep lockstep
else
  start_lockstep dashboard "jdbc:sqlite:$WORK/dashboard.db"
fi

echo "== loading: $ENVS environments x $TEMPLATES templates, $FLEET instances ($STORE)"
python3 - "$LOCKSTEP_URL" "$BENCH_ADMIN_TOKEN" "$ENVS" "$TEMPLATES" "$FLEET" <<'PY'
import hashlib, http.client, json, sys, time, urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
base, token, envs, templates, fleet = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
u = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
def call(method, path, body):
    conn.request(method, path, json.dumps(body), {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = conn.getresponse(); data = r.read()
    if r.status // 100 != 2:
        sys.exit(f"{method} {path} -> {r.status} {data[:300]!r}")
def digest(s): return "sha256:" + hashlib.sha256(s.encode()).hexdigest()
groups = (templates + 9) // 10
t0 = time.time()
for version in ("v1", "v2"):
    for g in range(groups):
        members = [t for t in range(g * 10, min(templates, g * 10 + 10))]
        call("POST", "/api/v1/releases", {"group": f"g-{g:02d}", "runtime_version": version,
             "git_sha": hashlib.sha1(version.encode()).hexdigest(),
             "images": {f"t-{t:03d}": digest(f"t-{t:03d}@{version}") for t in members}})
# every environment on v1, the first half of the environments on v2: half the matrix is behind
def promote_env(e):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    for g in range(groups):
        for version in (("v1", "v2") if e < envs // 2 else ("v1",)):
            path = f"/api/v1/environments/env-{e:02d}/releases/g-{g:02d}@{version}/promote"
            c.request("POST", path, json.dumps({"notes": "bench"}),
                      {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
            r = c.getresponse(); data = r.read()
            if r.status // 100 != 2:
                raise SystemExit(f"POST {path} -> {r.status} {data[:300]!r}")
    c.close()
with ThreadPoolExecutor(4) as pool:
    list(pool.map(promote_env, range(envs)))
print(f"pins: {envs * templates:,} in {time.time() - t0:.0f} s", flush=True)
t0 = time.time()
now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
batch = 50000
def ingest(start):
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    reports = []
    for i in range(start, min(fleet, start + batch)):
        e, t = i % envs, (i // envs) % templates
        v = "v2" if e < envs // 2 and i % 10 else "v1"
        reports.append({"instance_id": f"i-{i}", "environment": f"env-{e:02d}", "template": f"t-{t:03d}",
                        "region": ("global", "us-east", "eu-west", "ap-south")[i % 4],
                        "digest": digest(f"t-{t:03d}@{v}"), "observed_at": now})
    c.request("POST", "/api/v1/fleet/reports", json.dumps({"reports": reports}),
              {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = c.getresponse(); data = r.read(); c.close()
    if r.status // 100 != 2:
        raise SystemExit(f"fleet report -> {r.status} {data[:300]!r}")
with ThreadPoolExecutor(4) as pool:
    list(pool.map(ingest, range(0, fleet, batch)))
print(f"fleet: {fleet:,} instances in {time.time() - t0:.0f} s", flush=True)
PY

JAR="$WORK/cookies"
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -H "Origin: $LOCKSTEP_URL" \
  --data-urlencode "token=$BENCH_READ_TOKEN" "$LOCKSTEP_URL/sign-in")
[ "$code" = 303 ] || { echo "bench: sign-in answered $code, not 303" >&2; exit 1; }
curl -fsS -b "$JAR" -o "$WORK/matrix.html" "$LOCKSTEP_URL/"
grep -q '<h1>Matrix</h1>' "$WORK/matrix.html" || { echo "bench: GET / is not the matrix" >&2; exit 1; }
for _ in $(seq 1 "$WARM"); do curl -fsS -b "$JAR" -o /dev/null "$LOCKSTEP_URL/"; done
for _ in $(seq 1 "$COUNT"); do curl -fsS -b "$JAR" -o /dev/null -w '%{time_total}\n' "$LOCKSTEP_URL/"; done >"$WORK/times"
bytes=$(wc -c <"$WORK/matrix.html")
gz=$(gzip -6 -c "$WORK/matrix.html" | wc -c)
python3 - "$WORK/times" "$bytes" "$gz" "$ENVS" "$TEMPLATES" "$FLEET" "$STORE" "$COUNT" <<'PY'
import sys
t = sorted(float(x) * 1000 for x in open(sys.argv[1]))
p = lambda q: t[min(len(t) - 1, int(q * len(t)))]
print(f"matrix GET / ({sys.argv[4]} envs x {sys.argv[5]} templates, {int(sys.argv[6]):,} instances, {sys.argv[7]}):"
      f" p50 {p(0.5):.0f} ms, p99 {p(0.99):.0f} ms, max {t[-1]:.0f} ms over {sys.argv[8]} requests;"
      f" page {int(sys.argv[2]):,} bytes, {int(sys.argv[3]):,} gzipped")
PY
# the Rollout page (i14-rollout): the same cookie, the same warm-up and count
curl -fsS -b "$JAR" -o "$WORK/rollout.html" "$LOCKSTEP_URL/rollout"
grep -q '<h1>Rollout</h1>' "$WORK/rollout.html" || { echo "bench: GET /rollout is not the rollout page" >&2; exit 1; }
for _ in $(seq 1 "$WARM"); do curl -fsS -b "$JAR" -o /dev/null "$LOCKSTEP_URL/rollout"; done
for _ in $(seq 1 "$COUNT"); do curl -fsS -b "$JAR" -o /dev/null -w '%{time_total}\n' "$LOCKSTEP_URL/rollout"; done >"$WORK/rollout-times"
python3 - "$WORK/rollout-times" "$(wc -c <"$WORK/rollout.html")" "$(gzip -6 -c "$WORK/rollout.html" | wc -c)" "$COUNT" <<'PY'
import sys
t = sorted(float(x) * 1000 for x in open(sys.argv[1]))
p = lambda q: t[min(len(t) - 1, int(q * len(t)))]
print(f"rollout GET /rollout: p50 {p(0.5):.0f} ms, p99 {p(0.99):.0f} ms, max {t[-1]:.0f} ms over {sys.argv[4]} requests;"
      f" page {int(sys.argv[2]):,} bytes, {int(sys.argv[3]):,} gzipped")
PY
if [ -n "${KEEP_RUNNING:-}" ]; then echo "server kept running at $LOCKSTEP_URL (pid $LOCKSTEP_PID); cookies $JAR"; sleep "$KEEP_RUNNING"; fi
stop_lockstep
if [ "$STORE" = postgres ]; then
  PGPASSWORD=lockstep psql -h 127.0.0.1 -U lockstep -d lockstep -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
fi
