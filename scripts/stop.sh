#!/usr/bin/env bash
# make stop: stops what `make run` started, from the pid files in .run/: every service instance first
# (SIGTERM, up to 15 s, then SIGKILL), then the project's nats-server or the nodes of its cluster (CLUSTER=1).
# Idempotent.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

shopt -s nullglob
services=()
nats=()
for file in "$RUN_DIR"/*.pid; do
    name=$(basename "$file" .pid)
    if [[ $name == nats || $name == nats-n* ]]; then nats+=("$name"); else services+=("$name"); fi
done
if ((${#services[@]} == 0 && ${#nats[@]} == 0)); then
    say "Nothing to stop (no pid files in .run/)"
    exit 0
fi

say "Stopping Bazaar"
# stop_all NAME...: in parallel, each with its own 15 s grace period.
stop_all() {
    local name pid pids=()
    for name in "$@"; do
        stop_process "$name" &
        pids+=("$!")
    done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
}
stop_all "${services[@]}"
stop_all "${nats[@]}"
rm -f "$RUN_DIR"/*.pid.tmp
