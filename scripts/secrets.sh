#!/usr/bin/env bash
# The secrets of a deployment, as listed in deploy/secrets.list (names, formats, who reads them):
#
#   scripts/secrets.sh env [FILE]             FILE (default .env, what docker compose reads) gets a random value for
#                                             every listed secret it lacks; values it has are kept. Mode 0600.
#                                             `make compose-env` runs this.
#   scripts/secrets.sh k8s [FILE [NAMESPACE]] prints the Kubernetes Secrets, one <container>-secrets per workload
#                                             with the variables it reads, from the values in FILE (default .env;
#                                             namespace default bazaar):  scripts/secrets.sh k8s prod.env | kubectl apply -f -
#
# Values never appear on the command line or in the output of `env`; keep FILE out of git (.env is ignored).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SECRETS_LIST=$BAZAAR_ROOT/deploy/secrets.list

# secret_lines: the list without comments and blank lines, as "NAME FORMAT CONTAINER:VARIABLE...".
secret_lines() { grep -vE '^[[:space:]]*(#|$)' "$SECRETS_LIST"; }

# random_value FORMAT
random_value() {
    case $1 in
    password) openssl rand -base64 32 | tr '+/' '-_' | tr -d '=\n' ;;
    key) openssl rand -base64 32 | tr -d '\n' ;;
    *) die "deploy/secrets.list: unknown format '$1' (password or key)" ;;
    esac
}

# read_env FILE: fills the associative array VALUES with the NAME=value lines of FILE.
declare -A VALUES=()
read_env() {
    local line
    [[ -f $1 ]] || return 0
    while IFS= read -r line; do # not IFS='=': read would drop a value's trailing '=' (base64 padding)
        [[ $line =~ ^([A-Z][A-Z0-9_]*)=(.*)$ ]] && VALUES[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
    done <"$1"
}

write_env() {
    local file=$1 name format added=()
    read_env "$file"
    if [[ ! -f $file ]]; then
        (umask 077 && printf '# Secrets of the Bazaar deployment (scripts/secrets.sh, from deploy/secrets.list).\n# Random, generated here: keep this file out of git and off shared disks.\n' >"$file")
    fi
    chmod 600 "$file"
    while read -r name format _; do
        [[ -n ${VALUES[$name]:-} ]] && continue
        printf '%s=%s\n' "$name" "$(random_value "$format")" >>"$file"
        added+=("$name")
    done < <(secret_lines)
    if ((${#added[@]})); then
        say "$file: generated ${#added[@]} random secret(s): ${added[*]}"
    else
        say "$file: every secret of deploy/secrets.list is set already (nothing changed)"
    fi
}

print_k8s() {
    local file=$1 namespace=$2 name consumer container variable missing=()
    local -A keys=()
    local containers=()
    [[ -f $file ]] || die "$file does not exist: create it with  bash scripts/secrets.sh env $file"
    read_env "$file"
    while read -r name _ consumers; do
        [[ -n ${VALUES[$name]:-} ]] || missing+=("$name")
        for consumer in $consumers; do
            container=${consumer%%:*}
            variable=${consumer#*:}
            [[ $container == postgres ]] && continue # external in Kubernetes: its administrator sets the role passwords
            [[ -v keys[$container] ]] || containers+=("$container")
            keys[$container]+="$variable=$name "
        done
    done < <(secret_lines)
    ((${#missing[@]} == 0)) || die "$file lacks ${missing[*]}: add them with  bash scripts/secrets.sh env $file"
    for container in "${containers[@]}"; do
        printf -- '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: %s-secrets\n  namespace: %s\n' "$container" "$namespace"
        printf '  labels:\n    app.kubernetes.io/part-of: bazaar\ntype: Opaque\ndata:\n'
        for consumer in ${keys[$container]}; do
            printf '  %s: %s\n' "${consumer%%=*}" "$(printf '%s' "${VALUES[${consumer#*=}]}" | base64 -w0)"
        done
    done
}

case ${1:-} in
env) write_env "${2:-$BAZAAR_ROOT/.env}" ;;
k8s) print_k8s "${2:-$BAZAAR_ROOT/.env}" "${3:-bazaar}" ;;
*) die "usage: scripts/secrets.sh env [FILE] | k8s [FILE [NAMESPACE]]  (see the comment at the top of the script)" ;;
esac
