#!/usr/bin/env bash
# make test: the prerequisites of the tests (JDK >= 21, Maven, nats-server, PostgreSQL with the
# bazaar role), then `mvn -B verify` at the root (surefire *Test + failsafe *IT).
# Extra Maven arguments: MVN_ARGS, e.g. make test MVN_ARGS='-pl services/orders -am'.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

ensure_test_prerequisites

read -r -a mvn_args <<<"${MVN_ARGS:-}"
start=$(now_ms)
mvn_root -B verify "${mvn_args[@]}"
say "Tests passed in $(seconds_since "$start") s"
