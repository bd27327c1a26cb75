# syntax=docker/dockerfile:1
# One image recipe for every service: docker build --build-arg SERVICE=orders -t bazaar/orders .
# (compose.yaml builds all of them). Build stage: Maven on a JDK 21 image; runtime: a small JRE, non-root.
FROM maven:3.9-eclipse-temurin-21 AS build
ARG SERVICE
WORKDIR /src
COPY . .
# Only the service and the modules it needs (-am); the cache mount keeps ~/.m2 between builds.
RUN --mount=type=cache,target=/root/.m2 \
    test -n "$SERVICE" && test -d "services/$SERVICE" \
    && mvn -B -q -DskipTests -pl "services/$SERVICE" -am package

FROM eclipse-temurin:21-jre-alpine
ARG SERVICE
RUN addgroup -S bazaar && adduser -S -G bazaar -u 10001 bazaar
WORKDIR /app
# Thin jar + libs/ (its manifest's Class-Path points there).
COPY --from=build /src/services/${SERVICE}/target/${SERVICE}.jar /app/${SERVICE}.jar
COPY --from=build /src/services/${SERVICE}/target/libs/ /app/libs/
USER 10001
ENV SERVICE=${SERVICE} \
    JAVA_OPTS=""
# Small, predictable footprint: serial GC and a fixed heap ceiling (docs/operations.md, "Memory").
ENTRYPOINT ["sh", "-c", "exec java -XX:+UseSerialGC -Xmx128m $JAVA_OPTS -jar /app/$SERVICE.jar"]
