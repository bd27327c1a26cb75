package dev.bazaar.messaging.events;

import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A durable pull consumer declared in code; the {@link EventListener} creates it, or updates it when the declaration
 * changed, each time it binds. Explicit acks, delivers the whole stream on first creation.
 * <p>
 * Retry timing: a failed handler's message is redelivered after {@code backoff[n-1]} on its n-th failure (the last
 * entry repeats). NATS applies the same list, server-side, to deliveries nobody settles (an instance died mid-handler)
 * and then uses {@code backoff[0]} instead of {@code ackWait} for the first delivery; the listener keeps slow handlers
 * alive with in-progress signals, so both only decide how soon a lost delivery comes back. {@code ackWait} applies
 * when {@code backoff} is empty.
 *
 * @param stream        the stream to consume
 * @param durable       {@code <consumer-service>-<purpose>}, e.g. {@code payments-order-placed}
 * @param filterSubject one subject filter (nats-server 2.9 allows only one), e.g. {@code orders.events.>}
 * @param ackWait       how long a delivery may stay unsettled before NATS redelivers it (when no backoff)
 * @param maxDeliver    deliveries before a failing message is dead-lettered; more than {@code backoff.size()}
 * @param backoff       delays between attempts; when empty, failed messages are retried after {@code ackWait}
 * @param maxAckPending most messages in flight (unsettled) at once, across all instances
 */
public record ConsumerSpec(String stream, String durable, String filterSubject, Duration ackWait, int maxDeliver,
                           List<Duration> backoff, int maxAckPending) {

    public ConsumerSpec {
        requireName(stream, "stream");
        requireName(durable, "durable");
        Objects.requireNonNull(filterSubject, "filterSubject");
        if (filterSubject.isBlank()) {
            throw new IllegalArgumentException("filterSubject is required");
        }
        StreamSettings.positive(ackWait, "ackWait");
        backoff = List.copyOf(Objects.requireNonNull(backoff, "backoff"));
        backoff.forEach(delay -> StreamSettings.positive(delay, "backoff entry"));
        if (maxDeliver < 1) {
            throw new IllegalArgumentException("maxDeliver must be at least 1: " + maxDeliver);
        }
        if (!backoff.isEmpty() && maxDeliver <= backoff.size()) {
            // JetStream's own rule: otherwise some backoff entries could never apply.
            throw new IllegalArgumentException("maxDeliver (" + maxDeliver + ") must exceed the number of backoff "
                    + "entries (" + backoff.size() + ")");
        }
        if (maxAckPending < 1) {
            throw new IllegalArgumentException("maxAckPending must be at least 1: " + maxAckPending);
        }
    }

    /** Ack wait 30 s, 5 deliveries, backoff 1 s, 5 s, 15 s, 30 s, 256 in flight. */
    public static ConsumerSpec of(String stream, String durable, String filterSubject) {
        return new ConsumerSpec(stream, durable, filterSubject, Duration.ofSeconds(30), 5,
                List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30)),
                256);
    }

    /** The delay before retrying a message that failed on delivery {@code deliveryCount} (1-based). */
    public Duration retryDelay(long deliveryCount) {
        if (backoff.isEmpty()) {
            return ackWait;
        }
        return backoff.get((int) Math.max(0, Math.min(deliveryCount - 1, backoff.size() - 1)));
    }

    /** How long NATS waits for a settlement of delivery {@code deliveryCount} before redelivering it. */
    Duration serverAckWait(long deliveryCount) {
        return retryDelay(deliveryCount);
    }

    ConsumerConfiguration configuration() {
        ConsumerConfiguration.Builder builder = ConsumerConfiguration.builder()
                .durable(durable)
                .ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(DeliverPolicy.All)
                .filterSubject(filterSubject)
                .ackWait(ackWait)
                .maxDeliver(maxDeliver)
                .maxAckPending(maxAckPending);
        if (!backoff.isEmpty()) {
            builder.backoff(backoff.toArray(Duration[]::new));
        }
        return builder.build();
    }

    private static void requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank() || value.chars().anyMatch(c -> c == '.' || c == '*' || c == '>' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("invalid " + what + " name: '" + value + "'");
        }
    }
}
