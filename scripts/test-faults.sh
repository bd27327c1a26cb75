#!/usr/bin/env bash
# make test-faults: the fault harness's full profile (faults/, docs/reliability.md): every service as its own JVM on a
# three-node nats-server cluster, open-loop load, each fault scenario, the set checker; prints the results table
# (faults/target/faults-results.md). The short profile of the same scenarios runs in `make test`.
# Extra Maven arguments: MVN_ARGS, e.g. make test-faults MVN_ARGS='-Dfaults.rate=30'.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

# What the harness needs of make test's prerequisites (not kubectl, not openssl).
say "Checking prerequisites"
find_jdk
ensure_maven
ensure_nats_server
ensure_postgres
ensure_role "$PG_ROLE" "$PG_PASSWORD"

read -r -a mvn_args <<<"${MVN_ARGS:-}"
rm -f faults/target/faults-results.md
start=$(now_ms)
status=0
# -am builds (packages) the service jars the harness starts; -Dtest=none skips the upstream modules' own tests.
mvn_root -B verify -pl faults -am -Dfaults.profile=full -Dit.test=FaultScenariosIT -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false "${mvn_args[@]}" || status=$?
if [[ -f faults/target/faults-results.md ]]; then
    say "Results (faults/target/faults-results.md; service logs in faults/target/faults-logs/)"
    cat faults/target/faults-results.md
fi
((status == 0)) || die "make test-faults: some scenarios failed (see the table above and the FAILED lines)."
say "Fault scenarios passed in $(seconds_since "$start") s"
