#!/usr/bin/env bash
# certs.sh [DIR]: a LOCAL DEVELOPMENT certificate authority and one server certificate for 127.0.0.1/localhost,
# for `make run TLS=1` (nats-server TLS, the services' HTTPS) and the TLS tests. DIR defaults to .run/certs.
#   ca.pem            the CA certificate: give it to clients (curl --cacert, nats.tls.ca, server.tls.trust)
#   ca-key.pem        the CA's key (stays here)
#   server.pem        server certificate (SAN: IP 127.0.0.1, DNS localhost), signed by the CA
#   server-key.pem    its key (PKCS#8 PEM, unencrypted)
# Idempotent: existing files are kept while the server certificate is valid for another day.
# Never use these outside a developer machine: production certificates come from your PKI.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=${1:-$RUN_DIR/certs}
ensure_cmd openssl openssl
mkdir -p "$dir"
cd "$dir"

if [[ -s server.pem && -s server-key.pem && -s ca.pem ]] && openssl x509 -checkend 86400 -noout -in server.pem >/dev/null 2>&1; then
    info "TLS certificates: $dir (kept)"
    exit 0
fi

umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
    -subj "/CN=Bazaar local development CA" -keyout ca-key.pem -out ca.pem \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=localhost" -keyout server-key.pem -out server.csr 2>/dev/null
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 365 -out server.pem \
    -extfile <(printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth,clientAuth") 2>/dev/null
rm -f server.csr ca.srl
chmod 644 ca.pem server.pem
info "TLS certificates: $dir (new local development CA: $dir/ca.pem)"
