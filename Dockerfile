# syntax=docker/dockerfile:1
# One image recipe for every service: docker build --build-arg SERVICE=orders -t bazaar/orders .
# (compose.yaml builds all of them). Build stage: Maven on a JDK 21 image; runtime: a small JRE, non-root.
FROM maven:3.9-eclipse-temurin-21 AS build
ARG SERVICE
WORKDIR /src
COPY . .
# Only the service and the modules it needs (-am); the cache mount keeps ~/.m2 between builds. The service's HTTP
# port (server.port, the first "  port:" of its application.yaml) goes to /src/port for the healthcheck.
RUN --mount=type=cache,target=/root/.m2 \
    test -n "$SERVICE" && test -d "services/$SERVICE" \
    && mvn -B -q -DskipTests -pl "services/$SERVICE" -am package \
    && sed -n 's/^  port: *\([0-9][0-9]*\).*/\1/p' "services/$SERVICE/src/main/resources/application.yaml" \
       | head -n 1 >/src/port && test -s /src/port

FROM eclipse-temurin:21-jre-alpine
ARG SERVICE
# A fixed, non-root uid/gid (10001): Kubernetes' runAsNonRoot needs a numeric user, and the files under /app stay
# root-owned, so the service cannot change its own code. Nothing but /tmp needs to be writable (read-only root
# filesystem in compose.yaml and deploy/k8s).
RUN addgroup -S -g 10001 bazaar && adduser -S -D -H -G bazaar -u 10001 bazaar
WORKDIR /app
# Thin jar + libs/ (its manifest's Class-Path points there).
COPY --from=build /src/services/${SERVICE}/target/${SERVICE}.jar /app/${SERVICE}.jar
COPY --from=build /src/services/${SERVICE}/target/libs/ /app/libs/
COPY --from=build /src/port /app/port
USER 10001:10001
ENV SERVICE=${SERVICE} \
    JAVA_OPTS=""
# Ready = NATS, JetStream and the database answer (docs/operations.md, "Health checks"); SERVER_PORT overrides the
# port as it does for the service. Compose waits on this (depends_on: service_healthy); Kubernetes uses its probes.
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
    CMD wget -q -O /dev/null "http://127.0.0.1:${SERVER_PORT:-$(cat /app/port)}/observe/health/ready" || exit 1
# Small, predictable footprint: serial GC and a fixed heap ceiling (docs/operations.md, "Capacity and start-up");
# an OutOfMemoryError ends the process, so that compose or Kubernetes restarts it instead of leaving it half-alive.
ENTRYPOINT ["sh", "-c", "exec java -XX:+UseSerialGC -Xmx128m -XX:+ExitOnOutOfMemoryError $JAVA_OPTS -jar /app/$SERVICE.jar"]
