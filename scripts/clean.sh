#!/usr/bin/env bash
# make clean: stops a running `make run`, then mvn clean and rm -rf .run (pid files, logs,
# the local JetStream store).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

bash scripts/stop.sh
find_jdk
ensure_maven
mvn_root -B -q clean
say "rm -rf .run"
rm -rf "$RUN_DIR"
