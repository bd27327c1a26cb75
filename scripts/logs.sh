#!/usr/bin/env bash
# make logs: follows the logs of what `make run` started (.run/logs/*.log). Ctrl-C to quit.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

shopt -s nullglob
logs=("$LOG_DIR"/*.log)
((${#logs[@]} > 0)) || die "No logs in .run/logs/ yet: start Bazaar with make run."
exec tail -n 20 -F "${logs[@]}"
