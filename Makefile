# Bazaar developer commands. The logic lives in scripts/ (shared functions: scripts/lib.sh);
# `make` alone lists the targets. Prerequisites: a JDK >= 21 and Maven; the rest (nats-server,
# PostgreSQL) is installed with apt when run as root on Debian, else each step prints the command.
#
# Variables: MVN_ARGS (extra arguments of `make test`), JAVA_OPTS (JVM options of `make run`),
# TLS=1 (`make run TLS=1`: nats-server with TLS, the services on HTTPS, certificates of a local CA in .run/certs),
# CLUSTER=1 (`make run CLUSTER=1`: three nats-servers in one cluster, streams at 3 replicas), INSTANCES=N
# (`make run INSTANCES=2`: N instances of every service, instance k on its port + 100*(k-1); see docs/scaling.md),
# RATE and DURATION (of `make load`, e.g. make load RATE=100 DURATION=1m).

.DEFAULT_GOAL := help
.PHONY: help run stop test asyncapi test-faults build clean logs prereqs demo load bench bench-quick bench-scale compose-env

help: ## List the targets (this)
	@printf 'Bazaar -- make <target>:\n\n'
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z_-]+:.*## / { printf "  %-12s %s\n", $$1, $$2 }' $(firstword $(MAKEFILE_LIST))

run: ## Build and start the whole system locally (NATS + services), print URLs and place a sample order; TLS=1, CLUSTER=1, INSTANCES=N
	@TLS=$(TLS) CLUSTER=$(CLUSTER) INSTANCES=$(INSTANCES) bash scripts/run.sh

demo: ## Against a running system: one order to CONFIRMED, one to CANCELLED, with timings (TLS=1 if run so)
	@TLS=$(TLS) bash scripts/demo.sh

load: ## Against a running system: open-loop traffic mix (RATE=50 DURATION=30s), latency percentiles per operation (tools/loadgen)
	@bash scripts/load.sh

bench: ## Issue 12's scenarios with same-run baselines and the Go peer -> docs/performance.md (< 10 min; make run stopped)
	@bash scripts/bench.sh

bench-quick: ## make bench in short (< 2 min): one start per service, 3 s runs after 1 s warm-up, no Go peer
	@BENCH_QUICK=1 bash scripts/bench.sh

bench-scale: ## docs/scaling.md's table: 1, 2, 3 instances of every service on the NATS cluster, closed-loop peaks (make run stopped; empties the bazaar_* databases)
	@bash scripts/bench-scale.sh

stop: ## Stop what `make run` started
	@bash scripts/stop.sh

test: ## Run all tests: mvn -B verify (unit *Test + integration *IT); extra arguments in MVN_ARGS
	@bash scripts/test.sh

asyncapi: ## Rewrite docs/asyncapi/ from what each service serves at GET /asyncapi (AsyncApiIT; needs what make test needs)
	@MVN_ARGS='-pl system-tests -am -Dit.test=AsyncApiIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Dasyncapi.write=true' bash scripts/test.sh

test-faults: ## The fault harness, full profile (< 20 min): every service a JVM, faults under open-loop load, set checker; docs/reliability.md
	@bash scripts/test-faults.sh

build: ## Compile and package every module, skipping the tests
	@bash scripts/build.sh

clean: ## Stop a running system, mvn clean, remove .run/ (pid files, logs, local JetStream data)
	@bash scripts/clean.sh

logs: ## Follow the logs of the running system (.run/logs/)
	@bash scripts/logs.sh

compose-env: ## Write .env for docker compose: a random value for every secret in deploy/secrets.list (keeps existing ones)
	@bash scripts/secrets.sh env

prereqs: ## Check (as root on Debian: install) the prerequisites of `make test` and print their versions
	@bash scripts/prereqs.sh
