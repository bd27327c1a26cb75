package dev.bazaar.messaging.events;

import dev.bazaar.messaging.NatsMessaging;
import io.nats.client.ConsumerContext;
import io.nats.client.JetStream;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Creates or updates the durable consumer from its spec and returns a context to pull from. Until the stream exists
 * (its publisher has not started yet) or while NATS is unreachable, binding fails and the listener retries after
 * {@link #retryDelay(int)}: exponential from 100 ms to 2 s, with jitter so that instances do not retry in step.
 */
final class ConsumerBinding {
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long MAX_RETRY_MILLIS = 2_000;

    private final NatsMessaging nats;
    private final ConsumerSpec spec;

    ConsumerBinding(NatsMessaging nats, ConsumerSpec spec) {
        this.nats = nats;
        this.spec = spec;
    }

    /**
     * Idempotent: JetStream accepts an identical configuration as a no-op and applies the fields it can update.
     *
     * @throws JetStreamCall.Failed with {@link JetStreamCall#STREAM_NOT_FOUND} while the stream does not exist
     */
    ConsumerContext bind() {
        String what = "create or update consumer " + spec.durable() + " on " + spec.stream();
        return JetStreamCall.run(what, () -> {
            JetStream jetStream = nats.connection().jetStream();
            return jetStream.getStreamContext(spec.stream()).createOrUpdateConsumer(spec.configuration());
        });
    }

    /** How long to wait before bind attempt {@code failures + 1}. */
    static Duration retryDelay(int failures) {
        long base = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failures, 10));
        long jitter = ThreadLocalRandom.current().nextLong(base / 5 + 1);
        return Duration.ofMillis(base - base / 10 + jitter);
    }
}
