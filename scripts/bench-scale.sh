#!/usr/bin/env bash
# make bench-scale: docs/scaling.md's measured table. For each N of SCALE_INSTANCES (default "1 2 3"):
# `make run CLUSTER=1 INSTANCES=N` (three nats-servers, R3 streams, N instances of every service), then N load
# generators at once, generator k against instance k's ports, closed loop with CONNS connections in all (CONNS/N
# each, so the clients offer the same concurrency whatever N): GET /products/{id}, then POST /orders (the whole saga
# behind it), DUR measured after WARM; the orders' CPU per process meanwhile. Writes the table between the scale markers
# of docs/scaling.md (and .run/bench-scale/<time>/). Needs `make run` stopped (same ports): run it under
# flock /tmp/bazaar-ports.lock. Builds nothing: the jars of the last build (make build or make bench) are measured.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

SCALE_INSTANCES=${SCALE_INSTANCES:-1 2 3}
CONNS=${CONNS:-32}
DUR=${DUR:-10s}
WARM=${WARM:-5s}
OUT=$RUN_DIR/bench-scale/$(date -u +%Y%m%dT%H%M%SZ)
LOADGEN=(-XX:+UseSerialGC -Xmx192m -jar tools/loadgen/target/loadgen.jar)
mkdir -p "$OUT"
find_jdk
for entry in "${SERVICES[@]}"; do
    [[ -f services/${entry%%:*}/target/${entry%%:*}.jar ]] || die "services/${entry%%:*}/target/${entry%%:*}.jar is missing: make build first."
done
trap 'bash scripts/stop.sh >/dev/null 2>&1 || true' EXIT

# port_of SERVICE K -> instance K's HTTP port
port_of() {
    local entry
    for entry in "${SERVICES[@]}"; do
        [[ ${entry%%:*} == "$1" ]] && instance_port "${entry##*:}" "$2"
    done
}

# load N SCENARIO ARG...: N generators at once, k against instance k; results in $OUT/nN-SCENARIO-k.json
load() {
    local n=$1 scenario=$2 k pids=()
    shift 2
    for ((k = 1; k <= n; k++)); do
        "$JAVA_HOME/bin/java" "${LOADGEN[@]}" --scenario "$scenario" --connections "$((CONNS / n))" \
            --duration "$DUR" --warmup "$WARM" --catalog "http://127.0.0.1:$(port_of catalog "$k")" \
            --orders "http://127.0.0.1:$(port_of orders "$k")" --identity "http://127.0.0.1:$(port_of identity "$k")" \
            --notifications "http://127.0.0.1:$(port_of notifications "$k")" "$@" \
            --json "$OUT/n$n-$scenario-$k.json" --mark-measured "$OUT/n$n-$scenario-$k.measuring" \
            >>"$OUT/loadgen.log" 2>&1 &
        pids+=("$!")
    done
    for k in "${pids[@]}"; do wait "$k" || warn "a load generator failed (see $OUT/loadgen.log)"; done
}

for n in $SCALE_INSTANCES; do
    say "$n instance(s) of every service on the three-node cluster"
    OTEL_TRACES_EXPORTER=none CLUSTER=1 INSTANCES=$n bash scripts/run.sh >"$OUT/run-$n.log" 2>&1 ||
        { tail -20 "$OUT/run-$n.log"; die "make run CLUSTER=1 INSTANCES=$n failed"; }
    info "up in $(sed -n 's/.*All services ready in \([0-9.]*\) s.*/\1/p' "$OUT/run-$n.log" | tail -n 1) s"
    load "$n" get-product --users 0
    pids=""
    for pidfile in "$RUN_DIR"/*.pid; do pids+="$(basename "$pidfile" .pid)=$(cat "$pidfile") "; done
    # CPU from the first generator's end of warm-up to the end (all start together)
    # shellcheck disable=SC2086 # NAME=PID words
    python3 scripts/bench_report.py cpu --at-mark "$OUT/n$n-post-order-1.measuring" $pids >"$OUT/n$n-cpu-before.json" &
    sampler=$!
    load "$n" post-order --bench-products 20
    # shellcheck disable=SC2086
    python3 scripts/bench_report.py cpu $pids >"$OUT/n$n-cpu-after.json"
    kill "$sampler" 2>/dev/null || true
    for pidfile in "$RUN_DIR"/*.pid; do
        name=$(basename "$pidfile" .pid)
        [[ $name == nats* ]] && continue
        read -r rss _ < <(python3 scripts/bench_report.py rss "$(cat "$pidfile")")
        printf '%s %s\n' "$name" "$rss"
    done >"$OUT/n$n-rss.txt"
    bash scripts/stop.sh >/dev/null
done
cut -d' ' -f1-3 /proc/loadavg >"$OUT/loadavg.txt"
python3 scripts/bench_report.py scale "$OUT" docs/scaling.md
info "results: $OUT, docs/scaling.md"
