#!/usr/bin/env bash
# make bench (BENCH_QUICK=1: make bench-quick): builds, then measures issue 12's scenarios on this machine and writes
# docs/performance.md (the table between its bench markers) and docs/performance.json, each figure beside a baseline
# measured in the same run:
#   f  each service alone, STARTS times: start -> ready, RSS idle, heap and metaspace after a GC; JDK 25 AOT cache
#      (trained first when this build has none; see aot_flags in lib.sh)
#   -  the whole system started as make run does (parallel start): up time
#   a  GET /products/{id}: closed-loop peak, then latency at 50% of it; baseline: the bare Helidon endpoint
#   c  POST /orders (token, reservation, outbox, then the saga): closed-loop peak, then open-loop rates for p99 <= 50 ms
#   g  CPU per order of every process during c's peak (/proc), RSS under load
#   d  the saga end to end (POST -> CONFIRMED on the notification stream) at SAGA_RATE, open loop
#   b  one NATS request-reply hop: messaging vs plain jnats, tracing off and on (tools/baselines)
#   e  JetStream publish/consume: EventPublisher, outbox relay, EventListener vs plain jnats (tools/baselines)
#   Go the Go peer (../shared/bench/go-peer: gorilla/mux + nats.go + lib/pq), built and loaded the same way, when a
#      Go toolchain is there (as root on Debian: installed with apt)
# Needs `make run` stopped (same ports); run it under flock /tmp/bazaar-ports.lock like make run. Everything shares the
# machine (and the other builds on it): compare the ratios of one run, not figures of different runs.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"
BENCH_START=$(now_ms)

if [[ ${BENCH_QUICK:-} == 1 ]]; then
    # (3 s measured after 1 s: the quick run's budget is 2 minutes, and it reports the same figures, rougher)
    MODE=quick STARTS=${STARTS:-1} DUR=${DUR:-3s} WARM=${WARM:-1s} PEAK_WARM=1s RATE_DUR=3s RATE_WARM=1s NATS_SECS=2 NATS_ROUNDS=1 JS_MSGS=2000 SAGA_RATE=${SAGA_RATE:-100}
    GO_PEER=${GO_PEER:-0}
else
    MODE=full STARTS=${STARTS:-5} DUR=${DUR:-10s} WARM=${WARM:-5s} PEAK_WARM=${PEAK_WARM:-60s} RATE_DUR=5s RATE_WARM=2s NATS_SECS=3 NATS_ROUNDS=2 JS_MSGS=10000 SAGA_RATE=${SAGA_RATE:-300}
    GO_PEER=${GO_PEER:-1}
fi
CONNS=${CONNS:-32}
JAVA_OPTS=${JAVA_OPTS:-$SERVICE_JAVA_OPTS_DEFAULT}
read -r -a java_opts <<<"$JAVA_OPTS"
OUT=$RUN_DIR/bench/$(date -u +%Y%m%dT%H%M%SZ)
DOC=docs/performance.md
LOADGEN=(-XX:+UseSerialGC -Xmx256m -jar tools/loadgen/target/loadgen.jar)
BASELINES=(-XX:+UseSerialGC -Xmx256m -jar tools/baselines/target/baselines.jar)
BARE_PORT=8090
GO_DIR=$RUN_DIR/go-peer
# The Go peer's sources: GO_PEER_SRC, else ../shared/bench/go-peer beside the checkout (../../shared from a git
# worktree under wt/)
GO_PEER_SRC=${GO_PEER_SRC:-}
if [[ -z $GO_PEER_SRC ]]; then
    for dir in ../shared/bench/go-peer ../../shared/bench/go-peer; do
        [[ -d $dir ]] && { GO_PEER_SRC=$(cd "$dir" && pwd); break; }
    done
fi
report() { python3 scripts/bench_report.py "$@"; }
# phase NAME: ends the current phase (its seconds go into PHASES, then env.json and the table's first line) and begins
# NAME: where the bench's minutes go, against its budget (10 min full, 2 min quick).
PHASES=() PHASE_NAME=prerequisites PHASE_START=$BENCH_START
phase() {
    local t
    t=$(now_ms)
    PHASES+=("$PHASE_NAME $(((t - PHASE_START + 500) / 1000)) s")
    info "($PHASE_NAME: $(((t - PHASE_START + 500) / 1000)) s; $(((t - BENCH_START) / 1000)) s so far)"
    PHASE_NAME=$1 PHASE_START=$t
}

for entry in nats "${SERVICES[@]}"; do
    running_pid "${entry%%:*}" >/dev/null && die "Bazaar is running: make stop first (bench uses the same ports)."
done
find_jdk
ensure_maven
ensure_cmd curl curl
ensure_cmd python3 python3
ensure_nats_server
ensure_postgres
ensure_role "$PG_ROLE" "$PG_PASSWORD"
ensure_databases "$PG_ROLE" "$PG_PASSWORD"
# BENCH_BUILD=0: measure the jars as they are (built just before, outside the ports lock)
if [[ ${BENCH_BUILD:-1} != 0 ]]; then
    phase build
    build_project
fi
mkdir -p "$OUT"
load_nats_passwords
NATS_HTTP_PORT=$(conf_port http)

cleanup() {
    stop_process bare >/dev/null 2>&1 || true
    bash scripts/stop.sh >/dev/null 2>&1 || true
    [[ -x $GO_DIR/run.sh ]] && "$GO_DIR/run.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

# ---- AOT caches: a first start of the whole system trains every missing one at once (make run's way) ---------------
# stop_and_wait NAME: SIGTERM, then waits (up to 3 min): a JVM writing its AOT cache at exit takes a while.
stop_and_wait() {
    local pid start
    pid=$(running_pid "$1") || return 0
    start=$(now_ms)
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && (($(now_ms) - start < 180000)); do sleep 0.1; done
    stop_process "$1" >/dev/null
}
# kill_and_wait NAME: SIGKILL, then waits until it is gone (its port free for the next start).
kill_and_wait() {
    local pid
    pid=$(running_pid "$1") || return 0
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
    rm -f "$RUN_DIR/$1.pid"
}
untrained=0
for entry in "${SERVICES[@]}"; do [[ $(aot_flags "${entry%%:*}") == -XX:AOTCacheOutput=* ]] && untrained=1; done
if ((untrained == 1)) && [[ $MODE == full ]]; then
    phase "AOT training"
    say "training the AOT caches (one start of the whole system)"
    # (a training start is slow, the more so on a busy machine: 60 s per service was not always enough)
    OTEL_TRACES_EXPORTER=none JAVA_OPTS="$JAVA_OPTS" READY_TIMEOUT_S=300 BUILD=0 bash scripts/run.sh >"$OUT/train.log" 2>&1 ||
        warn "the training start failed (see $OUT/train.log)"
    for entry in "${SERVICES[@]}"; do stop_and_wait "${entry%%:*}" & done
    wait
    bash scripts/stop.sh >/dev/null
    untrained=0
    for entry in "${SERVICES[@]}"; do [[ $(aot_flags "${entry%%:*}") == -XX:AOTCacheOutput=* ]] && untrained=1; done
fi
# No cache (quick mode, or the training failed): everything is measured without one (the table says so), and no start
# trains one either, whose exit would write it for minutes and be cut short by the stop.
if ((untrained == 1)); then
    export AOT=0
fi

# ---- f: each service alone -----------------------------------------------------------------------------------------
phase "f: single starts"
start_background nats "$NATS_SERVER_PATH" -c "$NATS_CONF" -sd .run/nats
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$NATS_HTTP_PORT/healthz" && break; sleep 0.1; done

# heap_after_gc PID -> "HEAP_MIB METASPACE_MIB" after a full GC (jstat: survivors + eden + old used; metaspace used)
heap_after_gc() {
    "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null 2>&1 || true
    "$JAVA_HOME/bin/jstat" -gc "$1" 2>/dev/null | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
        NR == 2 { printf "%d %d\n", ($c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"]) / 1024, $c["MU"] / 1024 }'
}

# one_start NAME PORT FLAG...: starts the service alone, prints "READY_MS RSS_IDLE HEAP META", stops it.
one_start() {
    local name=$1 port=$2 start pid ready_ms rss
    shift 2
    start=$(now_ms)
    start_service "$name" "$port" "${java_opts[@]}" "$@"
    # (polled without a process per poll: http_status; a curl every 10 ms took CPU from the start it timed)
    until [[ $(http_status 127.0.0.1 "$port" /observe/health/ready) == 200 ]]; do
        if ! running_pid "$name" >/dev/null || (($(now_ms) - start > 90000)); then
            # one failed start is recorded (and its log kept), not the end of the bench
            cp "$LOG_DIR/$name.log" "$OUT/failed-start-$name-$(now_ms).log" 2>/dev/null || true
            stop_process "$name" >/dev/null
            echo "fail fail fail fail"
            return 0
        fi
        sleep 0.01
    done
    ready_ms=$(($(now_ms) - start))
    pid=$(running_pid "$name")
    sleep 1
    read -r rss _ < <(report rss "$pid")
    local heap
    heap=$(heap_after_gc "$pid")
    # stopped before the answer: the caller reads it through a pipe and starts the next one as soon as it has it.
    # SIGKILL: what is measured is done, these starts use a trained cache or none (nothing to write at exit), and a
    # clean stop (readiness delay, HTTP grace, NATS drain) cost 2-3 s per start, a minute of the 25 starts
    kill_and_wait "$name"
    echo "$ready_ms $rss $heap"
}

# median: of the numbers on stdin, "null" for none (a service none of whose starts became ready)
median() { tr ' ' '\n' | { grep . || true; } | sort -n | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : "null") }'; }

startup_json="{"
for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    port=${entry##*:}
    say "f: $name, $STARTS starts"
    aot=$(aot_flags "$name")
    # (untrained here: quick mode, or the training start failed) measured without a cache, and the table says so
    [[ $aot == -XX:AOTCache=* ]] || aot=""
    ready=() idle=() heap=() meta=() failed=0
    for ((i = 0; i < STARTS; i++)); do
        read -r r m h x < <(one_start "$name" "$port" ${aot:+"$aot"})
        if [[ $r == fail ]]; then
            warn "$name: a start did not become ready (log kept in $OUT)"
            failed=$((failed + 1))
            continue
        fi
        ready+=("$r") idle+=("$m") heap+=("$h") meta+=("$x")
        info "ready in $r ms, RSS $m MiB, heap after GC $h MiB, metaspace $x MiB"
    done
    startup_json+="\"$name\":{\"ready_ms\":$(median <<<"${ready[*]}"),\"rss_idle\":$(median <<<"${idle[*]}"),"
    startup_json+="\"heap_after_gc\":$(median <<<"${heap[*]}"),\"metaspace\":$(median <<<"${meta[*]}"),\"aot\":\"${aot:+yes}\",\"failed_starts\":$failed},"
done
stop_process nats >/dev/null

# ---- the whole system, as make run starts it -----------------------------------------------------------------------
phase "make run"
say "starting the system (scripts/run.sh)"
OTEL_TRACES_EXPORTER=none JAVA_OPTS="$JAVA_OPTS" BUILD=0 bash scripts/run.sh >"$OUT/run.log" 2>&1 || { tail -30 "$OUT/run.log"; die "make run failed"; }
up=$(sed -n 's/.*All services ready in \([0-9.]*\) s.*/\1/p' "$OUT/run.log" | tail -n 1)
echo "{\"up_s\": ${up:-null}}" >"$OUT/f-run.json"
info "all services ready in ${up:-?} s"

# loadgen ARG...: one load generator run (output in loadgen.log). A run that fails is recorded (the table shows "–"
# for it) and the bench goes on: one broken scenario must not cost the others.
loadgen() {
    "$JAVA_HOME/bin/java" "${LOADGEN[@]}" "$@" >>"$OUT/loadgen.log" 2>&1 && return 0
    warn "loadgen $* failed (see $OUT/loadgen.log)"
}
# rate_of FILE OPERATION -> its rate per second, 0 when the run left no result
rate_of() { python3 -c "import json,sys; print(int(json.load(open(sys.argv[1]))['operations'][sys.argv[2]]['rate_per_s']))" "$@" 2>/dev/null || echo 0; }
p99_of() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['operations'][sys.argv[2]]['p99_ms'])" "$@" 2>/dev/null || echo "?"; }
# cpu_at_mark MARK OUT NAME=PID...: once loadgen creates MARK (--mark-measured: its warm-up is over), the CPU
# seconds of those processes into OUT; gives up waiting after 3 minutes. Run in the background beside that loadgen.
cpu_at_mark() {
    local mark=$1 out=$2
    shift 2
    report cpu --at-mark "$mark" "$@" >"$out"
}
service_pids() {
    local entry pid
    for entry in nats "${SERVICES[@]}"; do
        pid=$(running_pid "${entry%%:*}") && printf '%s=%s ' "${entry%%:*}" "$pid"
    done
}

# ---- a --------------------------------------------------------------------------------------------------------------
phase a
say "a: GET /products/{id}, $CONNS connections"
loadgen --scenario get-product --connections "$CONNS" --duration "$DUR" --warmup "$WARM" --users 0 --json "$OUT/a-peak.json"
half=$(($(rate_of "$OUT/a-peak.json" "read product") / 2))
info "peak $((half * 2))/s; latency at $half/s"
# (the warm-up at the same rate opens the client's connections before anything is recorded)
loadgen --scenario get-product --rate "$((half > 0 ? half : 1))" --duration "$DUR" --warmup "$WARM" --users 0 --json "$OUT/a-half.json"
say "a: baseline, the bare Helidon JSON endpoint"
start_background bare "$JAVA_HOME/bin/java" "${java_opts[@]}" "${BASELINES[@]:2}" http --port "$BARE_PORT"
for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$BARE_PORT/products" && break; sleep 0.05; done
loadgen --scenario get-product --connections "$CONNS" --duration "$DUR" --warmup "$WARM" --users 0 \
    --catalog "http://127.0.0.1:$BARE_PORT" --json "$OUT/a-bare.json"
kill -TERM "$(cat "$RUN_DIR/bare.pid")" 2>/dev/null || true
rm -f "$RUN_DIR/bare.pid"

# ---- c, g ------------------------------------------------------------------------------------------------------------
phase "c, g"
say "c: POST /orders, $CONNS connections (CPU per process measured meanwhile)"
pids=$(service_pids)
# shellcheck disable=SC2086 # NAME=PID words
cpu_at_mark "$OUT/c.measuring" "$OUT/c-cpu-before.json" $pids &
sampler=$!
# (PEAK_WARM: c's peak is the first load of POST /orders since the start, and the JIT compiles its paths meanwhile:
# measured within the first seconds, CPU per order would count that compilation)
loadgen --scenario post-order --connections "$CONNS" --duration "$DUR" --warmup "$PEAK_WARM" --bench-products 20 \
    --json "$OUT/c-peak.json" --mark-measured "$OUT/c.measuring"
# shellcheck disable=SC2086
report cpu $pids >"$OUT/c-cpu-after.json"
kill "$sampler" 2>/dev/null || true
for entry in "${SERVICES[@]}"; do
    read -r rss _ < <(report rss "$(running_pid "${entry%%:*}")")
    startup_json+="\"${entry%%:*}-load\":$rss,"
done
peak=$(rate_of "$OUT/c-peak.json" "place order")
info "peak $peak orders/s"
# (quick: the middle rate only, ~12 s less: its budget is 2 minutes)
[[ $MODE == quick ]] && rate_pcts=(50) || rate_pcts=(25 50 75)
for pct in "${rate_pcts[@]}"; do
    rate=$((peak * pct / 100))
    ((rate > 0)) || continue
    loadgen --scenario post-order --rate "$rate" --duration "$RATE_DUR" --warmup "$RATE_WARM" --bench-products 20 --json "$OUT/c-rate-$pct.json"
    info "$rate/s: p99 $(p99_of "$OUT/c-rate-$pct.json" "place order") ms"
done

# ---- d --------------------------------------------------------------------------------------------------------------
phase d
say "d: the saga at $SAGA_RATE orders/s"
loadgen --scenario saga --rate "$SAGA_RATE" --duration "$DUR" --warmup "$WARM" --bench-products 20 --json "$OUT/d-saga.json"

# ---- the same catalog call over NATS request-reply and gRPC (tools/rpc-bench) ---------------------------------------
phase rpc
say "rpc: catalog's product lookup, NATS request-reply vs gRPC, 8 callers each"
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx128m -jar tools/rpc-bench/target/rpc-bench.jar --workers 8 --warmup "$WARM" \
    --duration "$DUR" --nats-user ops --nats-password "$(nats_password ops)" --json "$OUT/rpc.json" >"$OUT/rpc.log" 2>&1 ||
    warn "rpc-bench failed (see $OUT/rpc.log)"

# ---- the Go peer, while Bazaar still runs (compare/side-by-side.sh loads both) ----------------------------------------
phase "Go peer"
go_status="not run (GO_PEER=0)"
if [[ $GO_PEER == 1 ]]; then
    if ! command -v go >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1; then
        can_apt && apt_install golang-go golang-github-gorilla-mux-dev golang-github-nats-io-go-nats-dev \
            golang-github-lib-pq-dev wrk || true
    fi
    if [[ -z $GO_PEER_SRC ]]; then
        go_status="not run: no ../shared/bench/go-peer (set GO_PEER_SRC)"
    elif ! command -v go >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1; then
        go_status="not run: no Go toolchain or wrk (apt packages golang-go, wrk) on this machine"
    else
        say "Go peer: build, start, load"
        # ../shared is read-only: build and run a copy
        rm -rf "$GO_DIR" && cp -r "$GO_PEER_SRC" "$GO_DIR" && chmod -R u+w "$GO_DIR" && rm -rf "$GO_DIR/.run" "$GO_DIR/bin"
        if (cd "$GO_DIR" && ./build.sh && REQUEST_LOG=off ./run.sh start) >"$OUT/go-peer.log" 2>&1; then
            gpids="catalog=$(cat "$GO_DIR/.run/catalog.pid") orders=$(cat "$GO_DIR/.run/orders.pid") nats=$(cat "$GO_DIR/.run/nats.pid")"
            # CPU per order with the same client as Bazaar's c
            # shellcheck disable=SC2086
            cpu_at_mark "$OUT/go.measuring" "$OUT/go-cpu-before.json" $gpids &
            sampler=$!
            loadgen --scenario post-order --connections "$CONNS" --duration "$DUR" --warmup "$WARM" --users 0 \
                --catalog http://127.0.0.1:7081 --orders http://127.0.0.1:7082 --json "$OUT/go-post.json" \
                --mark-measured "$OUT/go.measuring"
            # shellcheck disable=SC2086
            report cpu $gpids >"$OUT/go-cpu-after.json"
            kill "$sampler" 2>/dev/null || true
            # the peer's own comparison, with wrk -t1 (issue 12's figures): both catalogs and both orders, one round
            say "Go peer: compare/side-by-side.sh (wrk -t1 -c$CONNS, ${DUR%s} s each)"
            "$GO_DIR/compare/side-by-side.sh" 1 "${DUR%s}" "$CONNS" >"$OUT/side-by-side.txt" 2>>"$OUT/go-peer.log" ||
                warn "side-by-side.sh failed (see $OUT/go-peer.log)"
            python3 scripts/bench_report.py wrk "$OUT/side-by-side.txt" >"$OUT/wrk.json"
            go_status="Go $(go version | cut -d' ' -f3), built from a copy of $GO_PEER_SRC and started with its run.sh (REQUEST_LOG=off) beside the running Bazaar; loaded with the same loadgen as Bazaar (CPU per order) and with its compare/side-by-side.sh (wrk -t1 -c$CONNS, ${DUR%s} s, one round)"
        else
            go_status="build or start failed: see $OUT/go-peer.log"
        fi
        "$GO_DIR/run.sh" stop >/dev/null 2>&1 || true
    fi
fi
python3 -c 'import json,sys; json.dump({"status": sys.argv[1]}, open(sys.argv[2], "w"))' "$go_status" "$OUT/go-env.json"
bash scripts/stop.sh >/dev/null

# ---- b, e -----------------------------------------------------------------------------------------------------------
phase "b, e"
say "b: one NATS request-reply hop"
"$JAVA_HOME/bin/java" "${BASELINES[@]}" nats --seconds "$NATS_SECS" --rounds "$NATS_ROUNDS" --json "$OUT/b-nats.json" >>"$OUT/baselines.log" 2>&1 ||
    warn "the NATS baseline failed (see $OUT/baselines.log)"
say "e: JetStream publish and consume, $JS_MSGS messages"
"$JAVA_HOME/bin/java" "${BASELINES[@]}" jetstream --messages "$JS_MSGS" --json "$OUT/e-jetstream.json" >>"$OUT/baselines.log" 2>&1 ||
    warn "the JetStream baseline failed (see $OUT/baselines.log)"

# ---- report ---------------------------------------------------------------------------------------------------------
phase report
# RSS under load joins each service's start-up figures
python3 - "$OUT" "${startup_json%,}}" <<'PY'
import json, sys
d = json.loads(sys.argv[2])
out = {k: v for k, v in d.items() if not k.endswith("-load")}
for k, v in d.items():
    if k.endswith("-load") and k[:-5] in out:
        out[k[:-5]]["rss_load"] = v
json.dump(out, open(sys.argv[1] + "/f-startup.json", "w"), indent=2)
PY
python3 - "$OUT/env.json" <<PY
import json, sys
json.dump({"date": "$(date -u +%FT%TZ)", "mode": "$MODE", "elapsed_s": $((($(now_ms) - BENCH_START) / 1000)),
           "machine": "$(uname -srm), $(nproc) cores, $(free -m | awk '/Mem:/{print $2}') MiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')",
           "jdk": "$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1 | tr -d '"')", "nats": "$("$NATS_SERVER_PATH" --version 2>&1 | head -n 1)",
           "postgres": "$(psql --version)", "loadavg": "$(cut -d' ' -f1-3 /proc/loadavg)", "java_opts": "$JAVA_OPTS", "aot": "$([[ ${AOT:-1} == 0 ]] && echo no || echo yes)", "starts": $STARTS, "phases": "$(IFS=,; sed 's/,/, /g' <<<"${PHASES[*]}")",
           "settings": "closed loop $CONNS connections, $DUR measured after $WARM warm-up ($PEAK_WARM before c's peak); saga at $SAGA_RATE/s"}, open(sys.argv[1], "w"))
PY
report report "$OUT" "$DOC" docs/performance.json
info "results: $OUT, $DOC, docs/performance.json ($((($(now_ms) - BENCH_START) / 1000)) s)"
