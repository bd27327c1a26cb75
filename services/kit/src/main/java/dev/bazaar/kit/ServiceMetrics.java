package dev.bazaar.kit;

import com.zaxxer.hikari.HikariPoolMXBean;
import dev.bazaar.messaging.ConnectionEvents;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.RunningService;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.messaging.outbox.OutboxRelay;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.nats.client.JetStreamApiException;
import io.nats.client.support.JsonValue;
import io.nats.service.EndpointStats;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Binds the numbers the libraries expose (messaging's endpoint, listener, outbox and connection counters, the
 * HikariCP pool) to Helidon meters, served in Prometheus text format at {@code /observe/metrics}. Every meter is
 * tagged {@code service}, so that several services in one JVM (system tests) stay apart; {@link #close()} removes
 * the gauges and functional counters this instance registered. See {@code docs/operations.md} for the series.
 */
public final class ServiceMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final String service;
    private final Set<Meter> owned = ConcurrentHashMap.newKeySet();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    private ServiceMetrics(MeterRegistry registry, String service) {
        this.registry = registry;
        this.service = service;
    }

    /** Metrics of {@code service} in Helidon's global registry (the one {@code /observe/metrics} serves). */
    public static ServiceMetrics create(String service) {
        return new ServiceMetrics(Metrics.globalRegistry(), service);
    }

    public String service() {
        return service;
    }

    /** The filter timing HTTP requests; {@link HttpServers} installs it. */
    Filter httpFilter() {
        return new HttpMetricsFilter(this);
    }

    /** Pool gauges: active, idle, total connections and threads waiting for one ({@code db.pool.*}). */
    public ServiceMetrics database(Database database) {
        HikariPoolMXBean pool = database.poolStats();
        gauge("db.pool.active", "connections in use", pool, HikariPoolMXBean::getActiveConnections);
        gauge("db.pool.idle", "idle connections", pool, HikariPoolMXBean::getIdleConnections);
        gauge("db.pool.total", "open connections", pool, HikariPoolMXBean::getTotalConnections);
        gauge("db.pool.pending", "threads waiting for a connection", pool, HikariPoolMXBean::getThreadsAwaitingConnection);
        return this;
    }

    /**
     * NATS: connection events by type ({@code nats.connection.events{event=DISCONNECTED}}), whether connected, and
     * outgoing requests timed per subject and outcome ({@code nats.client.requests}).
     */
    public ServiceMetrics nats(NatsMessaging nats) {
        ConnectionEvents events = nats.events();
        for (String event : events.snapshot().keySet()) {
            counter("nats.connection.events", "NATS connection events and client errors since start", events,
                    e -> e.snapshot().getOrDefault(event, 0L), Tag.create("event", event));
        }
        gauge("nats.connection.up", "1 while connected to NATS", nats, n -> n.isConnected() ? 1 : 0);
        nats.requests().observe((subject, elapsed, outcome) -> timer("nats.client.requests",
                "NATS requests sent, by subject and outcome", Tag.create("subject", subject),
                Tag.create("outcome", outcome)).record(elapsed));
        return this;
    }

    /**
     * Served NATS endpoints, from the statistics each endpoint reports in {@code $SRV.STATS}: requests handled,
     * error replies and total handling time per endpoint ({@code nats.server.requests}, {@code
     * nats.server.errors}, {@code nats.server.processing.seconds}).
     */
    public ServiceMetrics endpoints(RunningService endpoints) {
        for (EndpointStats stats : endpoints.service().getStatsResponse().getEndpointStatsList()) {
            String name = stats.getName();
            Tag endpoint = Tag.create("endpoint", stats.getSubject());
            counter("nats.server.requests", "NATS requests handled", endpoints, s -> data(s, name, "handled"), endpoint);
            counter("nats.server.errors", "NATS requests answered with an error", endpoints,
                    s -> data(s, name, "errors"), endpoint);
            gauge("nats.server.processing.seconds", "total handling time of NATS requests (a counter, in seconds)",
                    endpoints, s -> data(s, name, "processing_time_ns") / 1e9, endpoint);
        }
        return this;
    }

    /**
     * A JetStream listener: messages processed, redelivered, dead-lettered, lost and dead letters replayed, and the
     * consumer's pending count (asked from the server at each scrape; -1 when unknown), tagged {@code consumer}.
     */
    public ServiceMetrics listener(EventListener listener) {
        Tag consumer = Tag.create("consumer", listener.spec().durable());
        counter("events.processed", "events handled and acknowledged", listener, EventListener::processed, consumer);
        counter("events.redelivered", "deliveries that were redeliveries", listener, EventListener::redelivered, consumer);
        counter("events.dead.lettered", "events given up on and put into the dead-letter stream", listener,
                EventListener::deadLettered, consumer);
        counter("events.replayed", "dead letters processed again successfully and removed", listener,
                EventListener::replayed, consumer);
        counter("events.lost", "events nats-server gave up on that could not be dead-lettered", listener,
                EventListener::lost, consumer);
        gauge("events.pending", "messages not yet delivered or not yet settled (-1: unknown)", listener,
                EventListener::pending, consumer);
        return this;
    }

    /**
     * Dead letters waiting in this service's {@code DLQ_<SERVICE>} stream ({@code events.dead.letters.stored}; -1
     * when the stream cannot be read): what {@code GET /admin/dead-letters} would list, until replayed or deleted.
     */
    public ServiceMetrics deadLetters(NatsMessaging nats, DeadLetters deadLetters) {
        gauge("events.dead.letters.stored", "dead letters waiting to be replayed or deleted (-1: unknown)", deadLetters,
                d -> storedDeadLetters(nats, d), Tag.create("stream", deadLetters.streamName()));
        return this;
    }

    private static double storedDeadLetters(NatsMessaging nats, DeadLetters deadLetters) {
        try {
            return nats.connection().jetStreamManagement().getStreamInfo(deadLetters.streamName()).getStreamState()
                    .getMsgCount();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            return -1;
        }
    }

    /** Outbox: unpublished rows and the age of the oldest one in seconds (0 when none). */
    public ServiceMetrics outbox(OutboxRelay relay) {
        gauge("outbox.backlog", "events committed but not yet published", relay, OutboxRelay::backlog);
        gauge("outbox.oldest.unpublished.age.seconds", "age of the oldest unpublished event", relay,
                r -> r.oldestUnpublishedAge().map(Duration::toMillis).orElse(0L) / 1000.0);
        return this;
    }

    /**
     * A count of the service's own (e.g. orders cancelled at the saga deadline), read from {@code target} at each
     * scrape. The meter holds {@code target} weakly: pass the long-lived object, not a lambda around it.
     */
    public <T> ServiceMetrics count(String name, String description, T target, Function<T, Long> value) {
        counter(name, description, target, value);
        return this;
    }

    /** A timer tagged with this service (and {@code tags}), removed again by {@link #close()}. */
    Timer timer(String name, String description, Tag... tags) {
        // Called per request (HTTP, NATS): the registry's getOrCreate builds the meter's id and takes a lock each
        // time, so the timers found are kept here by name and tags.
        StringBuilder key = new StringBuilder(64).append(name);
        for (Tag tag : tags) {
            key.append('\0').append(tag.key()).append('\0').append(tag.value());
        }
        return timers.computeIfAbsent(key.toString(), k -> {
            Timer timer = registry.getOrCreate(Timer.builder(name).description(description).tags(tags(tags)));
            owned.add(timer);
            return timer;
        });
    }

    private <T> void gauge(String name, String description, T target, ToDoubleFunction<T> value, Tag... tags) {
        owned.add(registry.getOrCreate(Gauge.builder(name, target, value).description(description).tags(tags(tags))));
    }

    private <T> void counter(String name, String description, T target, Function<T, Long> value, Tag... tags) {
        owned.add(registry.getOrCreate(FunctionalCounter.builder(name, target, value).description(description)
                .tags(tags(tags))));
    }

    private List<Tag> tags(Tag... extra) {
        List<Tag> tags = new ArrayList<>(List.of(Tag.create("service", service)));
        tags.addAll(List.of(extra));
        return tags;
    }

    private static long data(RunningService endpoints, String endpoint, String key) {
        EndpointStats stats = endpoints.service().getEndpointStats(endpoint);
        JsonValue data = stats == null ? null : stats.getData();
        JsonValue value = data == null || data.map == null ? null : data.map.get(key);
        return value == null || value.number == null ? 0 : value.number.longValue();
    }

    /**
     * Removes this instance's meters: gauges and counters bound to objects that are closed now, and the timers, so
     * that a service started again in the same JVM (tests) counts from zero.
     */
    @Override
    public void close() {
        timers.clear();
        owned.forEach(registry::remove);
        owned.clear();
    }
}
