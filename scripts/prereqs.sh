#!/usr/bin/env bash
# make prereqs: checks (and, as root on Debian, installs) what `make test` needs, then prints
# the versions in use. Each step is the same function `make test` and `make run` call.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

ensure_test_prerequisites

say "Versions"
"$JAVA_HOME/bin/java" -version 2>&1 | sed 's/^/    /'
mvn -v 2>&1 | sed 's/^/    /'
info "MAVEN_OPTS=${MAVEN_OPTS:-}"
info "$("$NATS_SERVER_PATH" --version 2>&1)"
info "$(psql --version)"
info "server: $(psql_as_role "$PG_ROLE" "$PG_PASSWORD" -d postgres -tAc 'show server_version')"
