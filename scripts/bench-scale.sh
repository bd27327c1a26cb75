#!/usr/bin/env bash
# make bench-scale: docs/scaling.md's measured table. For each N of SCALE_INSTANCES (default "1 2 3"):
# `make run CLUSTER=1 INSTANCES=N` (three nats-servers, R3 streams, N instances of every service), then N load
# generators at once, generator k against instance k's ports, closed loop with CONNS connections in all (CONNS/N
# each, so the clients offer the same concurrency whatever N): GET /products/{id}, then POST /orders (the whole saga
# behind it), DUR (10s) measured after WARM (30s); the CPU of every process (and of the whole machine) over the first
# generator's measured phase of POST.
# Writes the table between the scale markers of docs/scaling.md (and .run/bench-scale/<time>/), after every N: a
# later N that fails (not ready, a generator that dies) gets a row that says why, and the rows before it stay.
#
# So that every N is measured from the same state:
#   - the AOT caches are trained first when this build has none (one start of the whole system, stopped with time
#     to write them, as make bench does); without caches after that, every start runs with AOT=0 (the table says so)
#     rather than training at exit and being SIGKILLed by make stop after 15 s
#   - before every N the bazaar_* databases are dropped and created again and the cluster's JetStream stores removed:
#     an outbox that remembers more than a fresh store holds makes the relays publish every old row again
#     (docs/performance.md, "measurement hazard"); the databases are left empty at the end for the same reason
#   - READY_TIMEOUT_S (default 300) for the 5·N JVMs, which all start at once (15 on 2 cores for N = 3)
#   - every service keeps POOL_PER_SERVICE (10) connections to its database in all, whatever N: each instance's
#     pool is a share of it (DB_POOL_SIZE = ceil(10/N), at least 3), so 15 JVMs fit a default PostgreSQL
#     (max_connections 100) as 5 do; ten per instance would need 150 at N = 3
# Needs `make run` stopped (same ports): run it under flock /tmp/bazaar-ports.lock. Builds nothing: the jars of the
# last build (make build or make bench) are measured. It drops the local bazaar_* databases (not the tests' ones).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

SCALE_INSTANCES=${SCALE_INSTANCES:-1 2 3}
POOL_PER_SERVICE=${POOL_PER_SERVICE:-10}
CONNS=${CONNS:-32}
DUR=${DUR:-10s}
# (a freshly started JVM is still compiling: 5 s left JIT work in the measured phase)
WARM=${WARM:-30s} # (the JIT compiles the paths of POST /orders in its first tens of seconds of load)
[[ $DUR =~ ^([0-9]+)s$ ]] || die "DUR must be seconds (10s), not '$DUR'."
DUR_S=${BASH_REMATCH[1]}
export READY_TIMEOUT_S=${READY_TIMEOUT_S:-300}
OUT=$RUN_DIR/bench-scale/$(date -u +%Y%m%dT%H%M%SZ)
DOC=${SCALE_DOC:-docs/scaling.md}
LOADGEN=(-XX:+UseSerialGC -Xmx192m -jar tools/loadgen/target/loadgen.jar)
JAVA_OPTS=${JAVA_OPTS:-$SERVICE_JAVA_OPTS_DEFAULT}
export JAVA_OPTS
for n in $SCALE_INSTANCES; do [[ $n =~ ^[1-9]$ ]] || die "SCALE_INSTANCES must be numbers 1..9, not '$SCALE_INSTANCES'."; done

shopt -s nullglob
for file in "$RUN_DIR"/*.pid; do
    running_pid "$(basename "$file" .pid)" >/dev/null &&
        die "Bazaar is running ($(basename "$file" .pid)): make stop first (bench-scale uses the same ports and databases)."
done
shopt -u nullglob
find_jdk
ensure_cmd curl curl
ensure_cmd python3 python3
ensure_nats_server
ensure_postgres
ensure_role "$PG_ROLE" "$PG_PASSWORD"
for entry in "${SERVICES[@]}"; do
    [[ -f services/${entry%%:*}/target/${entry%%:*}.jar ]] || die "services/${entry%%:*}/target/${entry%%:*}.jar is missing: make build first."
done
[[ -f tools/loadgen/target/loadgen.jar ]] || die "tools/loadgen/target/loadgen.jar is missing: make build first."
mkdir -p "$OUT"
load_nats_passwords
report() { python3 scripts/bench_report.py "$@"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# reset_state: empty service databases (dropped with their connections, created again) and no cluster store
reset_state() {
    local db
    while read -r db; do
        psql_as_role "$PG_ROLE" "$PG_PASSWORD" -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\""
    done < <(service_databases)
    rm -rf "$RUN_DIR/nats-cluster"
}

# (what this run started only: pid files are of this checkout)
cleanup() {
    bash scripts/stop.sh >/dev/null 2>&1 || true
    reset_state >/dev/null 2>&1 || true
}
trap cleanup EXIT

# note N TEXT: a line of the row's notes (the table's last column)
note() { printf '%s\n' "$2" >>"$OUT/n$1-notes.txt"; }

{
    printf 'date %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'machine %s, %s cores, %s MiB, %s\n' "$(uname -srm)" "$(nproc)" "$(($(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo) / 1024))" \
        "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    printf 'versions %s; %s; %s\n' "$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1 | tr -d '"')" \
        "$("$NATS_SERVER_PATH" --version 2>&1 | head -n 1)" "$(psql --version)"
    printf 'settings closed loop %s connections in all, %s measured after %s warm-up\n' "$CONNS" "$DUR" "$WARM"
    printf 'loadavg-start %s\n' "$(loadavg)"
} >"$OUT/env.txt"

# ---- AOT caches: trained by one start of the whole system when this build has none (make bench's way) ---------------
# stop_and_wait NAME: SIGTERM, then waits (up to 3 min): a JVM writing its AOT cache at exit takes a while.
stop_and_wait() {
    local pid start
    pid=$(running_pid "$1") || return 0
    start=$(now_ms)
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && (($(now_ms) - start < 180000)); do sleep 0.1; done
    stop_process "$1" >/dev/null
}
untrained() {
    local entry
    for entry in "${SERVICES[@]}"; do [[ $(aot_flags "${entry%%:*}") == -XX:AOTCacheOutput=* ]] && return 0; done
    return 1
}
if [[ ${AOT:-1} == 1 ]] && untrained; then
    say "training the AOT caches (one start of the whole system)"
    reset_state
    OTEL_TRACES_EXPORTER=none bash scripts/run.sh >"$OUT/train.log" 2>&1 || warn "the training start failed (see $OUT/train.log)"
    for entry in "${SERVICES[@]}"; do stop_and_wait "${entry%%:*}" & done
    wait
    bash scripts/stop.sh >/dev/null
fi
if untrained; then
    [[ ${AOT:-1} == 1 ]] && warn "no AOT cache for every service after the training start: measuring without (AOT=0)"
    export AOT=0
    echo "aot no" >>"$OUT/env.txt"
else
    echo "aot yes" >>"$OUT/env.txt"
fi

# port_of SERVICE K -> instance K's HTTP port
port_of() {
    local entry
    for entry in "${SERVICES[@]}"; do
        [[ ${entry%%:*} == "$1" ]] && instance_port "${entry##*:}" "$2"
    done
}

# load N SCENARIO ARG...: N generators at once, k against instance k; results in $OUT/nN-SCENARIO-k.json, output in
# .log beside it; a generator that fails is noted in the row.
load() {
    local n=$1 scenario=$2 k pids=()
    shift 2
    for ((k = 1; k <= n; k++)); do
        "$JAVA_HOME/bin/java" "${LOADGEN[@]}" --scenario "$scenario" --connections "$((CONNS / n))" \
            --duration "$DUR" --warmup "$WARM" --catalog "http://127.0.0.1:$(port_of catalog "$k")" \
            --orders "http://127.0.0.1:$(port_of orders "$k")" --identity "http://127.0.0.1:$(port_of identity "$k")" \
            --notifications "http://127.0.0.1:$(port_of notifications "$k")" "$@" \
            --json "$OUT/n$n-$scenario-$k.json" --mark-measured "$OUT/n$n-$scenario-$k.measuring" \
            >"$OUT/n$n-$scenario-$k.log" 2>&1 &
        pids+=("$!")
    done
    for ((k = 1; k <= n; k++)); do
        if ! wait "${pids[k - 1]}"; then
            warn "load generator $k of $scenario failed (see $OUT/n$n-$scenario-$k.log)"
            note "$n" "$scenario generator $k failed: $(grep -v '^\s*at ' "$OUT/n$n-$scenario-$k.log" | tail -n 1 | cut -c1-160)"
        fi
    done
}

# pids_now -> NAME=PID of every running process of the run (services' instances, nats nodes)
pids_now() {
    local file name pid
    for file in "$RUN_DIR"/*.pid; do
        name=$(basename "$file" .pid)
        pid=$(running_pid "$name") && printf '%s=%s ' "$name" "$pid"
    done
}

measure() {
    local n=$1 pids sampler file name pid rss
    load "$n" get-product --users 0
    pids=$(pids_now)
    # CPU over the first generator's measured phase (all start together): from its end of warm-up (the sampler waits
    # for the mark already running) for DUR; PostgreSQL: the backends of the bazaar_* databases only (other
    # checkouts' tests share the server)
    # shellcheck disable=SC2086 # NAME=PID words
    report cpu --machine --databases "$(service_databases | paste -sd,)" --at-mark "$OUT/n$n-post-order-1.measuring" \
        --window "$DUR_S" "$OUT/n$n-cpu-after.json" $pids >"$OUT/n$n-cpu-before.json" &
    sampler=$!
    load "$n" post-order --bench-products 20
    if [[ -e $OUT/n$n-post-order-1.measuring ]]; then
        wait "$sampler" 2>/dev/null || true
    else
        kill "$sampler" 2>/dev/null || true
    fi
    loadavg >"$OUT/n$n-loadavg-end.txt"
    for file in "$RUN_DIR"/*.pid; do
        name=$(basename "$file" .pid)
        [[ $name == nats* ]] && continue
        if pid=$(running_pid "$name"); then
            read -r rss _ < <(report rss "$pid") && printf '%s %s\n' "$name" "$rss"
        else
            note "$n" "$name was not running at the end of the load"
        fi
    done >"$OUT/n$n-rss.txt"
    # the hazard that reset_state prevents, should it happen anyway
    local republished=""
    for file in "$RUN_DIR"/*.pid; do
        name=$(basename "$file" .pid)
        grep -q "are published again" "$LOG_DIR/$name.log" 2>/dev/null && republished+=" $name"
    done
    [[ -z $republished ]] || note "$n" "outbox relays published old rows again (the figures are off):$republished"
}

for n in $SCALE_INSTANCES; do
    echo "$n" >>"$OUT/instances.txt"
    say "$n instance(s) of every service on the three-node cluster (fresh databases and JetStream stores)"
    reset_state >"$OUT/reset-$n.log" 2>&1 || { note "$n" "resetting the databases failed: $(tail -n 1 "$OUT/reset-$n.log")"; continue; }
    loadavg >"$OUT/n$n-loadavg-start.txt"
    pool=$(((POOL_PER_SERVICE + n - 1) / n))
    ((pool >= 3)) || pool=3
    note "$n" "db.pool.size $pool per instance"
    if DB_POOL_SIZE=$pool OTEL_TRACES_EXPORTER=none CLUSTER=1 INSTANCES=$n bash scripts/run.sh >"$OUT/run-$n.log" 2>&1; then
        sed -n 's/.*All services ready in \([0-9.]*\) s.*/\1/p' "$OUT/run-$n.log" | tail -n 1 >"$OUT/n$n-up.txt"
        info "up in $(cat "$OUT/n$n-up.txt") s"
        measure "$n" || note "$n" "the measurement stopped early (see $OUT)"
    else
        tail -n 20 "$OUT/run-$n.log" >&2
        reason=$(sed -n 's/^ERROR: //p' "$OUT/run-$n.log" | tail -n 1)
        warn "make run CLUSTER=1 INSTANCES=$n failed: ${reason:-see $OUT/run-$n.log}"
        note "$n" "make run CLUSTER=1 INSTANCES=$n failed: ${reason:-see run-$n.log}"
    fi
    bash scripts/stop.sh >/dev/null || true
    # this N's logs (run.sh stops what it started when it fails: they are the only trace)
    mkdir -p "$OUT/logs-$n"
    for name in "${NATS_CLUSTER_NODES[@]}"; do cp "$LOG_DIR/$name.log" "$OUT/logs-$n/" 2>/dev/null || true; done
    for entry in "${SERVICES[@]}"; do
        for ((k = 1; k <= n; k++)); do cp "$LOG_DIR/$(instance_name "${entry%%:*}" "$k").log" "$OUT/logs-$n/" 2>/dev/null || true; done
    done
    loadavg >"$OUT/loadavg.txt"
    report scale "$OUT" "$DOC" >/dev/null || warn "writing the table failed"
done
report scale "$OUT" "$DOC"
info "results: $OUT, $DOC"
