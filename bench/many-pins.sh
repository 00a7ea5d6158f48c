#!/usr/bin/env bash
# Promote latency against the size of the pin table. After each commit the resolve snapshot must
# take in the new pin; this shows what that costs as the number of pins grows. For each N in PINS,
# starts Lockstep on a fresh SQLite file, inserts N extra pins straight into the pins table (one
# environment, N regions of one template), restarts so the snapshot holds them, warms up, then
# times COUNT sequential promotes of another pin through the API (one curl each).
#
#   bench/many-pins.sh                      # defaults: PINS="10 20000 100000" COUNT=100
#
# Needs: curl, python3 (with its sqlite3 module), Java 17, Maven.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require curl python3
PINS="${PINS:-10 20000 100000}" COUNT="${COUNT:-100}"

promote_n() { # FROM TO
  for i in $(seq "$1" "$2"); do promote "$LOCKSTEP_URL" hermes "$(digest_of "many-$i")"; done
}

printf '%-10s %22s\n' pins 'ms per promote (mean)'
for n in $PINS; do
  db="$WORK/many-$n.db"
  start_lockstep "many-$n" "jdbc:sqlite:$db"
  stop_lockstep
  python3 - "$db" "$n" <<'PY'
import hashlib, sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
rows = []
for i in range(n):
    d = 'sha256:' + hashlib.sha256(str(i).encode()).hexdigest()
    rows.append(('prod', 'claude-code', 'r%06d' % i, d, 'registry.example.com/molecule/claude-code@' + d,
                 None, None, 0, 'bench', None, '{}', None, 1))
c.executemany('INSERT INTO pins (environment, template, region, digest, image_ref, git_sha, runtime_version,'
              ' promoted_at, promoted_by, notes, provenance, release_id, version)'
              ' VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)', rows)
c.commit()
PY
  start_lockstep "many-$n-run" "jdbc:sqlite:$db"
  promote_n 1 20
  started=$(date +%s%N)
  promote_n 21 $((20 + COUNT))
  ended=$(date +%s%N)
  python3 -c "print(f'{$n:<10} {($ended - $started) / 1e6 / $COUNT:22.1f}')"
  stop_lockstep
done
