#!/usr/bin/env bash
# Webhook delivery delay and the write path (issue 13): promotes at RATE per second for DURATION seconds
# (8 client threads keep the pace) against a server with SUBSCRIPTIONS webhook subscriptions to a real
# receiver on loopback (bench/events_delay.py); prints promote latency and, per subscription, the delay from
# the promote's commit to the webhook's arrival (p50/p99/max).
#
#   bench/events.sh                       # RATE=200 DURATION=30 SUBSCRIPTIONS=3, SQLite
#   HANG=1 bench/events.sh                # plus one subscription whose receiver never answers: the other
#                                         # subscriptions and the promotes must not notice
#   STORE=postgresql bench/events.sh
#
# Needs: python3, curl, psql (for PostgreSQL), Java 17, Maven.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require python3 curl
RATE="${RATE:-200}" DURATION="${DURATION:-30}" SUBSCRIPTIONS="${SUBSCRIPTIONS:-3}" STORE="${STORE:-sqlite}"
PG_URL="${PG_URL:-jdbc:postgresql://127.0.0.1:5432/}" PG_USER="${PG_USER:-lockstep}" PG_PASSWORD="${PG_PASSWORD:-lockstep}"
export BENCH_HOOK_SECRET="bench-hook-$RANDOM$RANDOM"
# What a platform team's chat and deploy hooks typically follow.
HOOK_TYPES="${HOOK_TYPES:-pin.promoted, pin.rolled_back, release.registered, release.promoted, drift.changed, override.used}"
HOOK_PORT="$(free_port)"
paths=""
{ cat "$BENCH_CONFIG"; echo "events:"; echo "  webhooks: {allow_loopback: true}"; echo "  subscriptions:"
  for i in $(seq 1 "$SUBSCRIPTIONS"); do
    echo "    - {name: bench-$i, url: \"http://127.0.0.1:$HOOK_PORT/hook-$i\", types: [$HOOK_TYPES], format: lockstep, secret_env: BENCH_HOOK_SECRET}"
  done
  if [ "${HANG:-0}" = 1 ]; then
    echo "    - {name: bench-hang, url: \"http://127.0.0.1:$HOOK_PORT/hang\", types: [$HOOK_TYPES], format: lockstep, secret_env: BENCH_HOOK_SECRET}"
  fi; } >"$WORK/lockstep-events.yaml"
for i in $(seq 1 "$SUBSCRIPTIONS"); do paths="$paths${paths:+,}/hook-$i"; done
BENCH_CONFIG="$WORK/lockstep-events.yaml"

python3 "$BENCH_DIR/events_delay.py" --port "$HOOK_PORT" --url-file "$WORK/url" --rate "$RATE" \
  --duration "$DURATION" --paths "$paths" >"$WORK/delay.txt" 2>&1 &
RECEIVER=$!
PIDS+=($RECEIVER)
if [ "$STORE" = sqlite ]; then
  start_lockstep sqlite "jdbc:sqlite:$WORK/data/lockstep.db"
else
  require psql
  db="lockstep_bench_events_$(date +%s)"
  host_port="${PG_URL#jdbc:postgresql://}"; host_port="${host_port%%/*}"
  PGPASSWORD="$PG_PASSWORD" psql -q -h "${host_port%%:*}" -p "${host_port##*:}" -U "$PG_USER" -d postgres \
    -c "CREATE DATABASE $db" >/dev/null
  start_lockstep postgresql "${PG_URL%/}/$db" "$PG_USER" "$PG_PASSWORD"
fi
hanging=""; [ "${HANG:-0}" = 1 ] && hanging=" + 1 whose receiver hangs"
echo "events: $STORE, $SUBSCRIPTIONS subscriptions$hanging, $RATE promotes/s for ${DURATION}s;" \
  "$(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$LOCKSTEP_URL" >"$WORK/url"
wait "$RECEIVER"
cat "$WORK/delay.txt"
stop_lockstep
if [ "$STORE" = postgresql ]; then
  PGPASSWORD="$PG_PASSWORD" psql -q -h "${host_port%%:*}" -p "${host_port##*:}" -U "$PG_USER" -d postgres \
    -c "DROP DATABASE $db WITH (FORCE)" >/dev/null
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
