package dev.bazaar.kit;

import dev.bazaar.messaging.events.DeadLetter;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.messaging.events.ReplayResult;
import io.helidon.config.Config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Replays dead letters by itself once an outage is over, not only when someone calls
 * {@code POST /admin/dead-letters/{sequence}/replay}: every {@code events.redrive.interval} (PT0S turns it
 * off), each dead letter older than {@code events.redrive.min-age} that failed on every delivery
 * ({@code max-deliver}, {@code max-deliver-unsettled}: a broker, database or peer that was down) is processed again
 * through the listener of its consumer, and removed when that succeeds. Poison ({@code poison}: undecodable, or the
 * handler refused it for good) is left for a person. Several instances may redrive at once: handlers are idempotent
 * by event id. A letter that still fails stays, is tried at the next round, and is reported by one WARNING line
 * per round at most (the {@code events.dead.letters.stored} gauge keeps counting it; {@code events.replayed} counts
 * what was redriven).
 */
public final class DeadLetterRedrive implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeadLetterRedrive.class.getName());
    private static final int BATCH = 100;

    private final DeadLetters deadLetters;
    private final List<EventListener> listeners;
    private final Duration minAge;
    private final Clock clock;
    private final LongAdder redriven = new LongAdder();
    private final Periodic periodic;

    DeadLetterRedrive(DeadLetters deadLetters, List<EventListener> listeners, Duration minAge, Clock clock,
                      Duration interval) {
        this.deadLetters = deadLetters;
        this.listeners = List.copyOf(listeners);
        this.minAge = minAge;
        this.clock = clock;
        this.periodic = interval.isZero() ? null
                : Periodic.start("dead-letter-redrive", interval, this::redriveOnce);
    }

    /** Starts redriving {@code deadLetters} through {@code listeners}, as {@code events.redrive.*} says. */
    public static DeadLetterRedrive start(Config events, DeadLetters deadLetters, List<EventListener> listeners) {
        Duration interval = events.get("redrive.interval").as(Duration.class).get();
        Duration minAge = events.get("redrive.min-age").as(Duration.class).get();
        if (interval.isNegative() || minAge.isNegative()) {
            throw new IllegalArgumentException("events.redrive.interval and min-age must not be negative");
        }
        return new DeadLetterRedrive(deadLetters, listeners, minAge, Clock.systemUTC(), interval);
    }

    /** One round; returns how many letters were processed again and removed. */
    public int redriveOnce() {
        Instant before = clock.instant().minus(minAge);
        int done = 0;
        int failed = 0;
        String lastFailure = null;
        for (DeadLetter letter : deadLetters.list(BATCH)) {
            Optional<EventListener> listener = listeners.stream()
                    .filter(candidate -> candidate.spec().durable().equals(letter.consumer())).findFirst();
            if (DeadLetter.POISON.equals(letter.reason()) || listener.isEmpty() || letter.deadAt() == null
                    || letter.deadAt().isAfter(before)) {
                continue;
            }
            ReplayResult result;
            try {
                result = listener.get().reprocess(letter);
            } catch (RuntimeException e) {
                result = new ReplayResult(letter.sequence(), false, e.toString());
            }
            if (result.replayed()) {
                done++;
            } else {
                failed++;
                lastFailure = result.detail();
                ReplayResult logged = result;
                LOG.fine(() -> "dead letter " + letter.sequence() + " not redriven: " + logged.detail());
            }
        }
        redriven.add(done);
        if (done > 0) {
            int count = done;
            LOG.info(() -> deadLetters.streamName() + ": redrove " + count + " dead letters");
        }
        if (failed > 0) {
            LOG.log(Level.WARNING, deadLetters.streamName() + ": " + failed + " dead letters still fail when redriven"
                    + " (last: " + lastFailure + "); retried every round, see /admin/dead-letters");
        }
        return done;
    }

    /** Dead letters processed again and removed so far. */
    public long redriven() {
        return redriven.sum();
    }

    @Override
    public void close() {
        if (periodic != null) {
            periodic.close();
        }
    }
}
