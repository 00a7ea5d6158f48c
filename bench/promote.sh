#!/usr/bin/env bash
# Promote throughput on both stores: a SQLite file and a fresh PostgreSQL database. Each promote
# is a real durable write (history row + pin upsert in one transaction; SQLite synchronous=FULL,
# PostgreSQL default synchronous_commit=on), driven by wrk with bench/promote.lua so every request
# promotes a new digest. Prints promotes/s and p99 for one sequential client and for N concurrent
# clients.
#
#   bench/promote.sh                     # defaults: DURATION=10s CLIENTS=8
#   PG_URL=jdbc:postgresql://127.0.0.1:5432/ PG_USER=lockstep PG_PASSWORD=lockstep bench/promote.sh
#   STORES=sqlite bench/promote.sh       # skip PostgreSQL
#   GATES=all bench/promote.sh           # prod with every promotion policy (lockstep-bench-gates.yaml); each
#                                        # promote is an admin's override, so every clause is evaluated
#   GATES=pass bench/promote.sh          # prod with every promotion policy (lockstep-bench-pass.yaml), and each
#                                        # promote passes them: bench/stage.lua first pins its digest in staging
#                                        # (a region per promote) and approves it; concurrent clients only
#   STAGE=1 BENCH_REGIONS=1 bench/promote.sh  # the same requests and data as GATES=pass (a region per promote,
#                                        # each digest pinned in staging first), no policy: its baseline, also on
#                                        # builds from before promotion policies (their approvals just fail)
#
#   PROFILE=/path/to/libasyncProfiler.so bench/promote.sh  # also a CPU profile (async-profiler, itimer, per
#                                        # thread) of each measured phase only, in PROFILE_OUT (/tmp) as
#                                        # promote-<store>-<mode>.collapsed; PROFILE_EVENT=wall PROFILE_INTERVAL=2ms
#                                        # samples every thread's wall clock instead (where a thread waits)
#
#   SUBSCRIPTIONS=3 bench/promote.sh     # with 3 webhook subscriptions to every event, delivered to a local
#                                        # nginx that answers 204 (its access log counts the deliveries)
#
# Needs: wrk, curl, python3, psql (to create the bench database), Java 17, Maven.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# LOCKSTEP_HOME=<checkout> runs that checkout's ./lockstep with this script (an A/B with the same requests)
[ -n "${LOCKSTEP_HOME:-}" ] && REPO="$LOCKSTEP_HOME"
require wrk curl python3
DURATION="${DURATION:-10s}" CLIENTS="${CLIENTS:-8}" STORES="${STORES:-sqlite postgresql}"
PG_URL="${PG_URL:-jdbc:postgresql://127.0.0.1:5432/}" PG_USER="${PG_USER:-lockstep}" PG_PASSWORD="${PG_PASSWORD:-lockstep}"
export BENCH_RUN="$(date +%s)"
# The JIT's C2 compiler kept taking 30-45% of the CPU for the first ~40 s of concurrent promotes (measured per
# thread from /proc), so a short warm-up measured the compiler, and more code looked slower than it runs.
MODES="sequential concurrent" warm=40s
if [ "${GATES:-none}" = all ]; then
  BENCH_CONFIG="$BENCH_DIR/lockstep-bench-gates.yaml"
  export BENCH_OVERRIDE=1
elif [ "${GATES:-none}" = pass ]; then
  BENCH_CONFIG="${PASS_CONFIG:-$BENCH_DIR/lockstep-bench-pass.yaml}"
  export BENCH_REGIONS=1 BENCH_APPROVE_TOKEN="bench-approve-$RANDOM$RANDOM"
fi
if [ "${BENCH_REGIONS:-0}" = 1 ]; then
  MODES=concurrent warm=15s  # on top of staging's own load
fi
WARM="${WARM:-$warm}"

# stage RUN COUNT: for GATES=pass (or STAGE=1), pins in staging and approves for prod the first COUNT digests per wrk thread
# that promote.lua makes with BENCH_RUN=RUN (two threads), then waits out the 1 s soak.
stage() {
  [ "${GATES:-none}" = pass ] || [ "${STAGE:-0}" = 1 ] || return 0
  BENCH_RUN="$1" BENCH_STAGE="$2" wrk -t2 -c2 -d"${STAGE_DURATION:-25s}" -s "$BENCH_DIR/stage.lua" "$LOCKSTEP_URL" \
    >"$WORK/stage-$1.wrk"
  sleep 2
}

if [ "${SUBSCRIPTIONS:-0}" -gt 0 ]; then
  require nginx
  HOOK_PORT="$(free_port)"
  mkdir -p "$WORK/hooks" && chmod a+rwx "$WORK" "$WORK/hooks"
  cat >"$WORK/hooks-nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $WORK/hooks-nginx.pid;
error_log $WORK/hooks-nginx-error.log warn;
events { worker_connections 1024; }
http {
  log_format hook '\$msec \$request_uri \$http_x_lockstep_event_id';
  access_log $WORK/hooks/access.log hook;
  server { listen 127.0.0.1:$HOOK_PORT; location / { return 204; } }
}
NGINX
  nginx -c "$WORK/hooks-nginx.conf" -e "$WORK/hooks-nginx-error.log" &
  PIDS+=($!)
  export BENCH_HOOK_SECRET="bench-hook-$RANDOM$RANDOM"
  # What a platform team's chat and deploy hooks typically follow.
  HOOK_TYPES="${HOOK_TYPES:-pin.promoted, pin.rolled_back, release.registered, release.promoted, drift.changed, override.used}"
  { cat "$BENCH_CONFIG"; echo "events:"; echo "  webhooks: {allow_loopback: true}"; echo "  subscriptions:"
    for i in $(seq 1 "$SUBSCRIPTIONS"); do
      echo "    - {name: bench-$i, url: \"http://127.0.0.1:$HOOK_PORT/hook-$i\", types: [$HOOK_TYPES], format: lockstep, secret_env: BENCH_HOOK_SECRET}"
    done; } >"$WORK/lockstep-bench-hooks.yaml"
  BENCH_CONFIG="$WORK/lockstep-bench-hooks.yaml"
fi

echo "promote (gates: ${GATES:-none}, subscriptions: ${SUBSCRIPTIONS:-0}): wrk --latency -d$DURATION, every request a new digest over 5 pins; $(nproc) cores shared by wrk," \
  "Lockstep and the database; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-11s %-14s %12s %10s %10s %14s\n' store clients 'promotes/s' 'p99 ms' 'non-2xx' 'cpu ms/promote'
for store in $STORES; do
  if [ "$store" = sqlite ]; then
    start_lockstep sqlite "jdbc:sqlite:$WORK/data/lockstep.db"
  else
    require psql
    db="lockstep_bench_$BENCH_RUN"
    host_port="${PG_URL#jdbc:postgresql://}"; host_port="${host_port%%/*}"
    PGPASSWORD="$PG_PASSWORD" psql -q -h "${host_port%%:*}" -p "${host_port##*:}" -U "$PG_USER" -d postgres \
      -c "CREATE DATABASE $db" >/dev/null
    start_lockstep postgresql "${PG_URL%/}/$db" "$PG_USER" "$PG_PASSWORD"
  fi
  # Warm the JIT on the write path before measuring, with the measured concurrency.
  stage "$BENCH_RUN" "${STAGE_WARM_COUNT:-6000}"
  wrk -t2 -c"$CLIENTS" -d"$WARM" -s "$BENCH_DIR/promote.lua" "$LOCKSTEP_URL" >/dev/null
  for mode in $MODES; do
    if [ "$mode" = sequential ]; then t=1 c=1; else t=2 c="$CLIENTS"; fi
    export BENCH_RUN=$((BENCH_RUN + 1))
    stage "$BENCH_RUN" "${STAGE_COUNT:-5000}"
    [ -n "${PROFILE:-}" ] && jcmd "$LOCKSTEP_PID" JVMTI.agent_load "$PROFILE" "\"start,event=${PROFILE_EVENT:-itimer},interval=${PROFILE_INTERVAL:-1ms},threads\"" >/dev/null
    ticks="$(cpu_ticks "$LOCKSTEP_PID")"
    wrk -t"$t" -c"$c" -d"$DURATION" --latency -s "$BENCH_DIR/promote.lua" "$LOCKSTEP_URL" >"$WORK/$store-$mode.wrk"
    cpu="$(cpu_ms_per_request "$ticks" "$(cpu_ticks "$LOCKSTEP_PID")" "$WORK/$store-$mode.wrk")"
    [ -n "${PROFILE:-}" ] && jcmd "$LOCKSTEP_PID" JVMTI.agent_load "$PROFILE" \
      "\"stop,file=${PROFILE_OUT:-/tmp}/promote-$store-$mode.collapsed,collapsed\"" >/dev/null
    read -r rps p99 err _ <<<"$(wrk_field "$WORK/$store-$mode.wrk")"
    printf '%-11s %-14s %12s %10s %10s %14s\n' "$store" "$mode ($c)" "$rps" "$p99" "$err" "$cpu"
    [ "${VERBOSE:-0}" = 1 ] && cat "$WORK/$store-$mode.wrk"
  done
  if [ "${SUBSCRIPTIONS:-0}" -gt 0 ]; then
    sleep 5  # let delivery catch up, then count what the receiver got
    echo "  webhook deliveries received by nginx so far (all stores): $(wc -l <"$WORK/hooks/access.log")"
  fi
  stop_lockstep
  if [ "$store" = postgresql ]; then
    PGPASSWORD="$PG_PASSWORD" psql -q -h "${host_port%%:*}" -p "${host_port##*:}" -U "$PG_USER" -d postgres \
      -c "DROP DATABASE $db" >/dev/null
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
