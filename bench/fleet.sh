#!/usr/bin/env bash
# Fleet scale benchmark: 1,000,000 instance reports into PostgreSQL over HTTP, then the convergence
# query. Needs PostgreSQL on 127.0.0.1:5432 with role lockstep/lockstep (creates and drops its own
# database). Usage: bench/fleet.sh [instances] [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/lockstep.jar ] || [ -n "$(find src pom.xml -newer target/lockstep.jar -print -quit)" ]; then
  mvn -B -q -DskipTests package
fi
exec java -Xmx2g -cp target/lockstep.jar bench/FleetBench.java "${1:-1000000}" "${2:-4}"
