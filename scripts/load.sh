#!/usr/bin/env bash
# make load [RATE=50] [DURATION=30s]: an open-loop traffic mix against the running system (make run) on 127.0.0.1:
# 70% product reads, 20% orders (one in ten declined), 5% logins, 5% bad requests. Without the identity service
# the logins are skipped and orders go without a token (the output says so). Prints progress each second and
# latency percentiles per operation at the end. Source: tools/loadgen.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

RATE=${RATE:-50}
DURATION=${DURATION:-30s}
JAR=tools/loadgen/target/loadgen.jar

find_jdk
if [[ ! -f $JAR ]] || [[ -n $(find tools/loadgen/src tools/loadgen/pom.xml -newer "$JAR" -print -quit) ]]; then
    ensure_maven
    mvn_root -B -q -DskipTests package -pl tools/loadgen
fi
say "Load: $RATE operations/s for $DURATION"
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -jar "$JAR" --rate "$RATE" --duration "$DURATION" ${LOAD_ARGS:-}
