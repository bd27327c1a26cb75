#!/usr/bin/env bash
# The order saga against a running `make run`: one order paid with tok_visa reaches CONFIRMED, one paid with
# tok_declined reaches CANCELLED (and its stock comes back). Prints how long each took.
set -euo pipefail
# TLS=1 (`make demo TLS=1`) for a system started with `make run TLS=1`: https, trusting the local CA.
SCHEME=http
if [[ ${TLS:-} == 1 ]]; then
    SCHEME=https
    export CURL_CA_BUNDLE=${CURL_CA_BUNDLE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.run/certs/ca.pem}
fi
ORDERS=${ORDERS_URL:-$SCHEME://127.0.0.1:8083}
CATALOG=${CATALOG_URL:-$SCHEME://127.0.0.1:8082}
MUG=00000000-0000-4000-8000-000000000001
IDENTITY=${IDENTITY_URL:-$SCHEME://127.0.0.1:8081}
# Orders needs a customer's access token (docs/security.md): BAZAAR_TOKEN, or the demo customer's from identity.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [[ -z ${BAZAAR_TOKEN:-} ]]; then
    BAZAAR_TOKEN=$(customer_token "$IDENTITY") || {
        echo "demo: identity at $IDENTITY gave no token; start the system with make run, or set BAZAAR_TOKEN" >&2
        exit 2
    }
fi
AUTH="Authorization: Bearer $BAZAAR_TOKEN"

stock() { curl -sf "$CATALOG/products/$MUG" | grep -o '"stock":[0-9]*' | cut -d: -f2; }

# place TOKEN: places one mug paid with TOKEN, prints the order id
place() {
    curl -sf -X POST "$ORDERS/orders" -H "$AUTH" -H 'Content-Type: application/json' \
        -d "{\"items\":[{\"productId\":\"$MUG\",\"quantity\":1}],\"paymentToken\":\"$1\"}" \
        | sed -E 's/^\{"id":"([^"]+)".*/\1/'
}

# watch ID EXPECTED: polls the order every 50 ms (up to 5 s) until it leaves PLACED
watch_order() {
    local started status
    started=$(date +%s%3N)
    for _ in $(seq 100); do
        status=$(curl -sf -H "$AUTH" "$ORDERS/orders/$1" | grep -o '"status":"[A-Z]*"' | head -n 1 | cut -d'"' -f4)
        if [[ $status != PLACED ]]; then
            printf '  order %s: %s after %d ms\n' "$1" "$status" $(($(date +%s%3N) - started))
            [[ $status == "$2" ]] && return 0
            echo "  expected $2" >&2
            return 1
        fi
        sleep 0.05
    done
    echo "  order $1 still PLACED after 5 s" >&2
    return 1
}

echo "stock of the blue mug: $(stock)"
echo "paying with tok_visa (authorized):"
watch_order "$(place tok_visa)" CONFIRMED
echo "paying with tok_declined (declined by the simulated provider):"
watch_order "$(place tok_declined)" CANCELLED
sleep 0.3
echo "stock of the blue mug: $(stock) (one sold, the cancelled one returned)"
