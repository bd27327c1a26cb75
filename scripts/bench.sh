#!/usr/bin/env bash
# make bench: start-up time and memory of each service, one at a time, on the local nats-server and PostgreSQL:
# time from `java` to the first 200 on /observe/health/ready, and RSS once ready and after 200 requests, without
# and (on JDK 25+) with an AOT cache. The cache is trained right after this build, with the same flags as the
# measured run, and named after the jar's hash: a cache from an older jar is never picked up (the JDK would use
# it without a warning). Needs `make run` stopped (same ports).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

FLAGS=(-XX:+UseSerialGC -Xmx128m -XX:TieredStopAtLevel=1)
BENCH_DIR=$RUN_DIR/bench
NATS_HTTP_PORT=$(conf_port http)
load_nats_passwords

for entry in nats "${SERVICES[@]}"; do
    running_pid "${entry%%:*}" >/dev/null && die "Bazaar is running: make stop first (bench uses the same ports)."
done
find_jdk
ensure_maven
ensure_cmd curl curl
ensure_nats_server
ensure_postgres
ensure_role "$PG_ROLE" "$PG_PASSWORD"
ensure_databases "$PG_ROLE" "$PG_PASSWORD"
build_project
mkdir -p "$BENCH_DIR"
java_version=$(java_major "$JAVA_HOME/bin/java")

cleanup() {
    for entry in "${SERVICES[@]}"; do stop_process "${entry%%:*}" >/dev/null || true; done
    stop_process nats >/dev/null || true
}
trap cleanup EXIT
start_background nats "$NATS_SERVER_PATH" -c "$NATS_CONF" -sd .run/nats
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$NATS_HTTP_PORT/healthz" && break; sleep 0.1; done

# stop_and_wait NAME: SIGTERM, then waits (up to 3 min) for the exit: a JVM writing its AOT cache at exit takes a
# while, and stop_process would SIGKILL it after 15 s.
stop_and_wait() {
    local pid start
    pid=$(running_pid "$1") || return 0
    start=$(now_ms)
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && (($(now_ms) - start < 180000)); do sleep 0.2; done
    stop_process "$1" >/dev/null
}

rss_mib() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

# run NAME PORT EXTRA_FLAG...: starts the service, prints "READY_MS RSS_READY RSS_LOADED", stops it.
run() {
    local name=$1 port=$2 start pid ready_ms rss_ready rss_loaded
    shift 2
    start=$(now_ms)
    start_service "$name" "$port" "${FLAGS[@]}" "$@"
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/observe/health/ready") == 200 ]]; do
        if ! running_pid "$name" >/dev/null || (($(now_ms) - start > 60000)); then
            tail_log "$name" 30
            die "$name did not become ready"
        fi
        sleep 0.02
    done
    ready_ms=$(($(now_ms) - start))
    pid=$(running_pid "$name")
    sleep 1
    rss_ready=$(rss_mib "$pid")
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$port/observe/health/ready"
        curl -s -o /dev/null "http://127.0.0.1:$port/observe/metrics"
    done
    rss_loaded=$(rss_mib "$pid")
    stop_and_wait "$name"
    echo "$ready_ms $rss_ready $rss_loaded"
}

rows=()
for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    port=${entry##*:}
    say "$name"
    read -r ms ready loaded < <(run "$name" "$port")
    rows+=("$(printf '%-14s %-10s %10s %12s %14s' "$name" "JIT" "$ms ms" "$ready MiB" "$loaded MiB")")
    if ((java_version >= 25)); then
        cache=$BENCH_DIR/$name-$(sha256sum "services/$name/target/$name.jar" | cut -c1-12).aot
        if [[ ! -f $cache ]]; then
            info "training the AOT cache $cache"
            run "$name" "$port" -XX:AOTCacheOutput="$cache" >/dev/null
        fi
        read -r ms ready loaded < <(run "$name" "$port" -XX:AOTCache="$cache")
        rows+=("$(printf '%-14s %-10s %10s %12s %14s' "$name" "AOT cache" "$ms ms" "$ready MiB" "$loaded MiB")")
    fi
done

printf '\nJVM flags: %s (Java %s)\n\n' "${FLAGS[*]}" "$java_version"
printf '%-14s %-10s %10s %12s %14s\n' SERVICE MODE READY "RSS READY" "RSS AFTER LOAD"
printf '%s\n' "${rows[@]}"
((java_version >= 25)) || printf '\n(no AOT cache: needs JDK 25+, this is Java %s)\n' "$java_version"
