#!/usr/bin/env bash
# make run: checks the prerequisites, builds, starts the project's own nats-server and the services
# in the background (.run/), waits until each is ready, prints the URLs and places a sample order.
#
# Environment: BUILD=0 (start the jars as built, no mvn), JAVA_OPTS (default: SERVICE_JAVA_OPTS_DEFAULT in lib.sh), AOT=0 (no JDK 25 AOT cache; see aot_flags), OTEL_* (passed through to the services), TLS=1 (`make run TLS=1`:
# a local CA from scripts/certs.sh in .run/certs, nats-server with TLS, the services on HTTPS and NATS TLS),
# CLUSTER=1 (three nats-servers in one cluster, config/nats/cluster-n*.conf, JetStream in .run/nats-cluster/n*,
# streams at 3 replicas, every service given all three URLs), INSTANCES=N (N instances of every service, instance k
# on its service's port + 100*(k-1)). See docs/scaling.md.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$BAZAAR_ROOT"

JAVA_OPTS=${JAVA_OPTS:-$SERVICE_JAVA_OPTS_DEFAULT}
READY_TIMEOUT_S=${READY_TIMEOUT_S:-60} # per service; make bench gives its AOT-training start longer
load_nats_passwords

# CLUSTER=1: three nodes (nats-n1..3), else the single server (nats). NATS_URL is the first node's.
CLUSTER=${CLUSTER:-}
INSTANCES=${INSTANCES:-1}
[[ $INSTANCES =~ ^[1-9]$ ]] || die "INSTANCES must be 1..9, not '$INSTANCES'."
declare -A NATS_CONF_OF=()
if [[ $CLUSTER == 1 ]]; then
    NATS_NODES=("${NATS_CLUSTER_NODES[@]}")
    for node in "${NATS_NODES[@]}"; do NATS_CONF_OF[$node]=$(nats_node_conf "$node"); done
    export EVENTS_REPLICAS=3
else
    NATS_NODES=(nats)
    NATS_CONF_OF[nats]=$NATS_CONF
fi
NATS_URL=nats://127.0.0.1:$(conf_port listen "${NATS_CONF_OF[${NATS_NODES[0]}]}")
urls=()
for node in "${NATS_NODES[@]}"; do urls+=("nats://127.0.0.1:$(conf_port listen "${NATS_CONF_OF[$node]}")"); done
export NATS_SERVERS
NATS_SERVERS=$(IFS=,; printf '%s' "${urls[*]}")

# Every instance to start, in start order, as name:port (orders, orders-2, ...: instance_name).
INSTANCE_LIST=()
for entry in "${SERVICES[@]}"; do
    for ((k = 1; k <= INSTANCES; k++)); do
        INSTANCE_LIST+=("$(instance_name "${entry%%:*}" "$k"):$(instance_port "${entry##*:}" "$k")")
    done
done

# TLS=1: certificates of the local development CA (scripts/certs.sh); curl trusts it with --cacert.
TLS=${TLS:-}
CERTS=.run/certs
SCHEME=http
CURL_TLS=()
if [[ $TLS == 1 ]]; then
    SCHEME=https
    CURL_TLS=(--cacert "$CERTS/ca.pem")
fi

declare -A READY_IN=()

service_port() {
    local entry
    for entry in "${INSTANCE_LIST[@]}"; do
        [[ ${entry%%:*} == "$1" ]] && { printf '%s\n' "${entry##*:}"; return 0; }
    done
    return 1
}

print_urls() {
    local entry name port node
    printf '\n  %-16s %-26s %-42s %s\n' SERVICE URL HEALTH "READY IN"
    for entry in "${INSTANCE_LIST[@]}"; do
        name=${entry%%:*}
        port=${entry##*:}
        printf '  %-16s %-26s %-42s %s\n' "$name" "$SCHEME://127.0.0.1:$port" \
            "$SCHEME://127.0.0.1:$port/observe/health" "${READY_IN[$name]:-}"
    done
    for node in "${NATS_NODES[@]}"; do
        printf '  %-16s %-26s %-42s %s\n' "$node" "nats://127.0.0.1:$(conf_port listen "${NATS_CONF_OF[$node]}")" \
            "http://127.0.0.1:$(conf_port http "${NATS_CONF_OF[$node]}") (monitoring)" "${READY_IN[$node]:-}"
    done
    [[ $CLUSTER == 1 ]] && printf '  %-16s %-26s %s\n' '' '' "cluster bazaar-local, JetStream in .run/nats-cluster/, streams at 3 replicas; services use NATS_SERVERS=$NATS_SERVERS"
    [[ $TLS == 1 ]] && printf '  %-16s %-26s %s\n' '' '' "TLS on (local CA $CERTS/ca.pem): curl --cacert $CERTS/ca.pem, nats --tlsca $CERTS/ca.pem"
    printf '  %-16s %-26s %s\n' '' '' "each service as its own NATS user; nats CLI: nats -s $NATS_URL --user ops --password $(nats_password ops) (local default)"
    printf '  %-16s %-26s %s\n' postgresql "$PG_HOST:$PG_PORT" "user $PG_ROLE/$PG_PASSWORD (local default), databases: $(service_databases | tr '\n' ' ')"
    printf '\n  Logs: .run/logs/ (make logs)   Stop: make stop\n'
    if [[ -n ${OTEL_EXPORTER_OTLP_ENDPOINT:-} ]]; then
        printf '  OpenTelemetry: exporting to %s\n' "$OTEL_EXPORTER_OTLP_ENDPOINT"
    else
        printf '  OpenTelemetry: OTEL_EXPORTER_OTLP_ENDPOINT is unset, the services export nothing\n'
    fi
}

# order_example RUN: prints a curl that places an order for the first product; runs it if RUN=true.
order_example() {
    local run=$1 catalog_port orders_port products id body code response
    catalog_port=$(service_port catalog) && orders_port=$(service_port orders) || return 0
    printf '\nPlace an order:\n\n'
    printf '  curl -s %s%s://127.0.0.1:%s/products\n' "${CURL_TLS[*]:+${CURL_TLS[*]} }" "$SCHEME" "$catalog_port"
    if ! products=$(curl -sf "${CURL_TLS[@]}" --max-time 10 "$SCHEME://127.0.0.1:$catalog_port/products"); then
        warn "GET $SCHEME://127.0.0.1:$catalog_port/products failed"
        return 1
    fi
    # The first "id" of {"products":[{"id":"<uuid>",...},...]}, without jq.
    if [[ $products =~ \"id\"[[:space:]]*:[[:space:]]*\"([0-9a-fA-F-]{36})\" ]]; then
        id=${BASH_REMATCH[1]}
    else
        warn "no product id in the catalog's answer: $products"
        return 1
    fi
    body='{"items":[{"productId":"'$id'","quantity":1}]}'
    printf "  curl -s %s-X POST %s://127.0.0.1:%s/orders -H \"Authorization: Bearer \$BAZAAR_TOKEN\" -H 'Content-Type: application/json' -d '%s'\n\n" \
        "${CURL_TLS[*]:+${CURL_TLS[*]} }" "$SCHEME" "$orders_port" "$body"
    [[ $run == true ]] || return 0
    if [[ -z ${BAZAAR_TOKEN:-} ]]; then
        # Orders needs a customer's access token (docs/security.md); identity issues them.
        printf '  (not placed: no customer token; see above)\n'
        return 0
    fi
    response=$(curl -s "${CURL_TLS[@]}" --max-time 30 -w '\n%{http_code}' -X POST "$SCHEME://127.0.0.1:$orders_port/orders" \
        -H "Authorization: Bearer $BAZAAR_TOKEN" -H 'Content-Type: application/json' -d "$body") || true
    code=${response##*$'\n'}
    printf '%s\n  -> HTTP %s\n' "${response%$'\n'*}" "$code"
    if [[ $code != 201 ]]; then
        warn "placing the sample order answered HTTP $code, not 201 (the services keep running: see make logs)"
        return 1
    fi
}

# wait_ready NAME URL TIMEOUT_S START_MS: polls until URL answers 200; on failure shows the log.
wait_ready() {
    local name=$1 url=$2 timeout_s=$3 start=$4 code
    local rest=${url#*://} hostport
    hostport=${rest%%/*}
    while :; do
        if [[ $url == http://* ]]; then
            code=$(http_status "${hostport%:*}" "${hostport##*:}" "/${rest#*/}")
        else
            code=$(curl -s "${CURL_TLS[@]}" -o /dev/null -w '%{http_code}' --max-time 2 "$url") || true
        fi
        [[ $code == 200 ]] && break
        if ! running_pid "$name" >/dev/null; then
            tail_log "$name" 40
            die "$name exited while starting (log: .run/logs/$name.log)."
        fi
        if (($(now_ms) - start > timeout_s * 1000)); then
            tail_log "$name" 40
            [[ $code == 000 ]] && code="no HTTP answer"
            die "$name was not ready within $timeout_s s ($url: $code)."
        fi
        sleep 0.05
    done
    READY_IN[$name]="$(seconds_since "$start") s"
    info "$name ready in ${READY_IN[$name]}"
}

# ---- already (partly) running? ------------------------------------------------------------------
components=("${NATS_NODES[@]}")
for entry in "${INSTANCE_LIST[@]}"; do components+=("${entry%%:*}"); done
running=()
stopped=()
for name in "${components[@]}"; do
    if running_pid "$name" >/dev/null; then running+=("$name"); else stopped+=("$name"); fi
done
if ((${#stopped[@]} == 0)); then
    say "Bazaar is already running (pid files in .run/ are alive): not starting it twice."
    print_urls
    order_example false || true
    exit 0
fi
if ((${#running[@]} > 0)); then
    die "Bazaar is partly running (running: ${running[*]}; not running: ${stopped[*]})." \
        "Restart it with:  make stop && make run"
fi

# ---- prerequisites -------------------------------------------------------------------------------
say "Checking prerequisites"
find_jdk
ensure_maven
ensure_cmd curl curl
ensure_nats_server
ensure_postgres
ensure_role "$PG_ROLE" "$PG_PASSWORD"
ensure_databases "$PG_ROLE" "$PG_PASSWORD"
[[ $TLS == 1 ]] && bash scripts/certs.sh "$CERTS"

ports=()
for node in "${NATS_NODES[@]}"; do
    ports+=("$node:$(conf_port listen "${NATS_CONF_OF[$node]}")" "$node-monitoring:$(conf_port http "${NATS_CONF_OF[$node]}")")
done
# (A node whose route port is taken exits at once: wait_ready then shows its log.)
for entry in "${ports[@]}" "${INSTANCE_LIST[@]}"; do
    if port_open 127.0.0.1 "${entry##*:}"; then
        die "Port ${entry##*:} (for ${entry%%:*}) is already in use by another process." \
            "Find it with:  ss -ltnp 'sport = :${entry##*:}'"
    fi
done

# ---- build ---------------------------------------------------------------------------------------
# BUILD=0: start the jars as they are (make bench builds once, before its starts)
if [[ ${BUILD:-1} != 0 ]]; then
    say "Building"
    build_project
fi
for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    [[ -f services/$name/target/$name.jar ]] || die "The build did not produce services/$name/target/$name.jar."
done

# ---- start ---------------------------------------------------------------------------------------
# From here on, a failure (or Ctrl-C) stops whatever this run started; the logs stay in .run/logs.
armed=true
on_exit() {
    local rc=$?
    if ((rc != 0)) && [[ $armed == true ]]; then
        warn "make run failed: stopping what it started (logs stay in .run/logs/)"
        bash "$BAZAAR_ROOT/scripts/stop.sh" >&2 || true
    fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

nats_tls=()
[[ $TLS == 1 ]] && nats_tls=(--tls --tlscert "$CERTS/server.pem" --tlskey "$CERTS/server-key.pem")
start=$(now_ms)
for node in "${NATS_NODES[@]}"; do
    store=.run/nats
    [[ $CLUSTER == 1 ]] && store=.run/nats-cluster/${node#nats-}
    say "Starting nats-server $node on nats://127.0.0.1:$(conf_port listen "${NATS_CONF_OF[$node]}") (monitoring http://127.0.0.1:$(conf_port http "${NATS_CONF_OF[$node]}"), JetStream in $store)"
    mkdir -p "$store"
    start_background "$node" "$NATS_SERVER_PATH" -c "${NATS_CONF_OF[$node]}" -sd "$store" "${nats_tls[@]}"
done
# A cluster node is healthy once JetStream has a meta leader, which needs the others (start all, then wait), and,
# when it restarts with data, once every stream and consumer replica it holds is current again: 20-30 s here.
nats_ready_s=15
[[ $CLUSTER == 1 ]] && nats_ready_s=90
for node in "${NATS_NODES[@]}"; do
    wait_ready "$node" "http://127.0.0.1:$(conf_port http "${NATS_CONF_OF[$node]}")/healthz" "$nats_ready_s" "$start"
done

read -r -a java_opts <<<"$JAVA_OPTS"
service_tls=()
if [[ $TLS == 1 ]]; then
    # Helidon reads server.tls natively; NATS_TLS_CA (nats.tls.ca) switches the NATS client to TLS.
    service_tls=(-Dserver.tls.private-key.pem.key.resource.path="$BAZAAR_ROOT/$CERTS/server-key.pem"
        -Dserver.tls.private-key.pem.cert-chain.resource.path="$BAZAAR_ROOT/$CERTS/server.pem")
fi
# Every instance starts at once (they only need NATS and PostgreSQL; a service fetches identity's keys at its first
# token, and waits for another's stream by itself): up in the time of the slowest, not the sum. The instances of one
# service share its database: Flyway migrates once, under a lock.
# (each service's AOT flag first: it hashes the service's jars, which between two starts delayed the later ones)
declare -A AOT_OF=()
for entry in "${SERVICES[@]}"; do AOT_OF[${entry%%:*}]=$(aot_flags "${entry%%:*}"); done
start=$(now_ms)
for entry in "${SERVICES[@]}"; do
    service=${entry%%:*}
    read -r -a aot <<<"${AOT_OF[$service]}"
    for ((k = 1; k <= INSTANCES; k++)); do
        name=$(instance_name "$service" "$k")
        port=$(instance_port "${entry##*:}" "$k")
        say "Starting $name on $SCHEME://127.0.0.1:$port"
        # (the AOT cache is trained by the first instance only: one JVM writes it)
        ((k == 1)) || [[ ${aot[0]:-} != -XX:AOTCacheOutput=* ]] || aot=()
        NATS_TLS_CA="${CURL_TLS[*]:+$BAZAAR_ROOT/$CERTS/ca.pem}" \
            start_service "$name" "$port" "${java_opts[@]}" "${aot[@]}" "${service_tls[@]}"
    done
done
for entry in "${SERVICES[@]}"; do
    for ((k = 1; k <= INSTANCES; k++)); do
        wait_ready "$(instance_name "${entry%%:*}" "$k")" \
            "$SCHEME://127.0.0.1:$(instance_port "${entry##*:}" "$k")/observe/health/ready" "$READY_TIMEOUT_S" "$start"
    done
done
say "All services ready in $(seconds_since "$start") s"
armed=false

say "Bazaar is running"
print_urls
if [[ -z ${BAZAAR_TOKEN:-} ]]; then
    identity_url="$SCHEME://127.0.0.1:$(service_port identity)"
    printf '\nA customer token (register once, then the OAuth2 password grant):\n\n'
    printf "  curl -s %s-X POST %s/users -H 'Content-Type: application/json' -d '{\"email\":\"%s\",\"password\":\"%s\"}'\n" \
        "${CURL_TLS[*]:+${CURL_TLS[*]} }" "$identity_url" "$DEMO_EMAIL" "$DEMO_PASSWORD"
    printf "  export BAZAAR_TOKEN=\$(curl -s %s-X POST %s/oauth2/token -d grant_type=password -d username=%s -d password=%s | sed -E '%s')\n" \
        "${CURL_TLS[*]:+${CURL_TLS[*]} }" "$identity_url" "$DEMO_EMAIL" "$DEMO_PASSWORD" 's/.*"access_token":"([^"]+)".*/\1/'
    BAZAAR_TOKEN=$(customer_token "$identity_url" "${CURL_TLS[@]}") || warn "identity gave no token: the sample order is skipped"
fi
order_example true
