#!/usr/bin/env bash
# make stop: stops what `make run` started, from the pid files in .run/: the services first
# (SIGTERM, up to 15 s, then SIGKILL), then the project's nats-server. Idempotent.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

shopt -s nullglob
services=()
for file in "$RUN_DIR"/*.pid; do
    name=$(basename "$file" .pid)
    [[ $name == nats ]] || services+=("$name")
done
if ((${#services[@]} == 0)) && [[ ! -e $RUN_DIR/nats.pid ]]; then
    say "Nothing to stop (no pid files in .run/)"
    exit 0
fi

say "Stopping Bazaar"
# The services in parallel, each with its own 15 s grace period.
pids=()
for name in "${services[@]}"; do
    stop_process "$name" &
    pids+=("$!")
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
stop_process nats
rm -f "$RUN_DIR"/*.pid.tmp
