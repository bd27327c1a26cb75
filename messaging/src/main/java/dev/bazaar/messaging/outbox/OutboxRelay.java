package dev.bazaar.messaging.outbox;

import dev.bazaar.messaging.MessagingException;
import dev.bazaar.messaging.events.EventPublisher;
import dev.bazaar.messaging.events.NoStreamException;
import dev.bazaar.messaging.events.PublishRefusedException;
import dev.bazaar.messaging.events.PublishResult;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes committed outbox rows to JetStream. One batch is one transaction: lock up to {@code batchSize}
 * unpublished rows in creation order ({@code FOR UPDATE SKIP LOCKED}, so several relays, one per instance, never
 * publish the same row at once), publish each with {@code Nats-Msg-Id} = event id, then mark the acknowledged ones
 * published and commit. A crash between a publish and the commit leaves the row unpublished; the next batch
 * publishes it again and JetStream drops the copy as a duplicate (within the stream's duplicate window), so the
 * stream holds each event once. A publish without an ack ends the batch (NATS is probably down); one JetStream
 * refuses (no stream for the subject, too large) is skipped, so that it does not hold up the rows behind it; both are
 * counted on their row ({@code attempts}, {@code last_error}) and retried at the next batch. Each publish continues
 * the trace stored in the row.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration FIRST_REFUSAL_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_REFUSAL_RETRY = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final EventPublisher publisher;
    private final OutboxSettings settings;
    private final Runnable beforeMark;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Per stream, the last sequence this relay saw JetStream store: at its first batch, before anything is sent, the
     * highest the table knows of every stream; then this relay's own acks.
     */
    private final Map<String, Long> lastSequence = new ConcurrentHashMap<>();
    private volatile boolean sequencesLoaded;
    private Thread loop;

    /** A relay without its loop; {@code beforeMark} runs after a batch's publishes, before marking (tests crash it). */
    OutboxRelay(Jdbi jdbi, EventPublisher publisher, OutboxSettings settings, Runnable beforeMark) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.beforeMark = beforeMark;
    }

    /**
     * Starts relaying on a background virtual thread: one batch at once (rows left by an earlier run), then a batch
     * at each {@link #wakeUp()} (the writer's commit) and, as a fallback for rows nobody woke it for (another instance
     * crashed between its commit and its relay), at each poll interval. Idle, it runs no SQL between polls.
     */
    public static OutboxRelay start(Jdbi jdbi, EventPublisher publisher, OutboxSettings settings) {
        OutboxRelay relay = new OutboxRelay(jdbi, publisher, settings, () -> { });
        relay.loop = Thread.ofVirtual().name("outbox-relay").start(relay::run);
        return relay;
    }

    /** Relays now instead of at the next poll; call it after committing a transaction that appended events. */
    public void wakeUp() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /** Relays one batch synchronously and returns how many rows it published (0 if publishing failed: logged). */
    public int relayOnce() {
        return relayBatch().published();
    }

    /** Rows not yet published. */
    public long backlog() {
        return jdbi.withHandle(OutboxTable::backlog);
    }

    /** How long the oldest unpublished row has waited; empty when all are published. A growing age is an alert. */
    public Optional<Duration> oldestUnpublishedAge() {
        return jdbi.withHandle(OutboxTable::oldestUnpublishedAge);
    }

    /**
     * Deletes rows published longer than the retention ago; returns how many. Not part of the relay's loop: the
     * service runs it on its own schedule (the kit's {@code EventsConfig.startOutboxPurge}, every {@code outbox.purge-interval}).
     */
    public int purgePublished() {
        return jdbi.withHandle(handle -> OutboxTable.purgePublished(handle, settings.retention()));
    }

    /**
     * Stops the loop after its current batch (waiting at most the publish timeout plus 5 s), then drains: relays
     * what is still unpublished, batch after batch, for at most the publish timeout, so that what a stopping service
     * committed last (its HTTP requests and listeners have stopped before) goes out now rather than at the next start
     * of some instance. A failing batch ends the drain; what is left stays in the table. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || loop == null) {
            return;
        }
        wakeUp();
        try {
            if (!loop.join(settings.publishTimeout().plusSeconds(5))) {
                loop.interrupt();
                LOG.warning("outbox relay still busy at close, interrupted");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        drain(System.nanoTime() + settings.publishTimeout().toNanos());
    }

    private void drain(long deadline) {
        int drained = 0;
        try {
            Batch batch;
            do {
                batch = relayBatch();
                drained += batch.published();
            } while (batch.failure() == null && batch.published() == settings.batchSize()
                    && System.nanoTime() - deadline < 0);
            if (batch.failure() != null) {
                LOG.info(() -> "outbox relay: left unpublished rows at close (" + backlog() + "), relayed at the next start");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "outbox relay: drain at close failed (database?); rows stay for the next start", e);
        }
        int total = drained;
        LOG.fine(() -> "outbox relay drained " + total + " rows at close");
    }

    /**
     * What a batch did: rows published, rows JetStream refused, rows made unpublished again because their stream
     * lost its data, and the failure that ended it early, if any.
     */
    private record Batch(int published, int refused, int republished, MessagingException failure) {
    }

    private Batch relayBatch() {
        AtomicBoolean streamMissing = new AtomicBoolean();
        Batch batch = jdbi.inTransaction(handle -> {
            List<OutboxRow> rows = OutboxTable.lockBatch(handle, settings.batchSize());
            List<OutboxTable.Stored> stored = new ArrayList<>(rows.size());
            Map<String, Long> reset = new HashMap<>(); // stream -> first row of this batch stored after its reset
            int refused = 0;
            MessagingException failure = null;
            // All the batch's publishes go out back to back, then their acks are awaited in order: one round trip
            // for the batch rather than one per row (JetStream stores them in the order sent on this connection).
            List<EventPublisher.Pending> sent = new ArrayList<>(rows.size());
            if (!sequencesLoaded && !rows.isEmpty()) {
                // Before the first send: every sequence read here was stored before this relay's publishes, so one
                // of them at or below it means the stream went back. (Read after the ack, the table may already hold
                // a higher sequence that another instance's relay got meanwhile: seen as a loss at N = 3.)
                lastSequence.putAll(OutboxTable.lastSequences(handle));
                sequencesLoaded = true;
            }
            for (OutboxRow row : rows) {
                sent.add(publisher.publishAsync(row.subject(), row.eventId().toString(), row.payloadBytes(),
                        row.writerContext(publisher.openTelemetry()), settings.publishTimeout()));
            }
            for (int i = 0; i < rows.size(); i++) {
                OutboxRow row = rows.get(i);
                try {
                    PublishResult result = sent.get(i).await();
                    stored.add(new OutboxTable.Stored(row.id(), result.stream(), result.sequence()));
                    if (!result.duplicate() && sequenceWentBack(result)) {
                        reset.putIfAbsent(result.stream(), row.id());
                    }
                } catch (PublishRefusedException e) {
                    boolean noStream = e instanceof NoStreamException;
                    streamMissing.compareAndSet(false, noStream);
                    if (noStream && publisher.isDeclared(row.subject())) {
                        // A stream this service declared is unavailable for now (a restarted cluster electing its
                        // leader, a lost store being created again): an outage, not this row's fault. The batch
                        // ends and is retried after the relay's back-off (at most 5 s); a per-row back-off would
                        // grow with every retry during the outage and hold the rows long after it (scenario c: the
                        // backlog took 40 s to drain after the cluster was back).
                        failure = e;
                        recordFailure(handle, row, e, null);
                        sent.subList(i + 1, sent.size()).forEach(EventPublisher.Pending::abandon);
                        break;
                    }
                    // This row only (no stream for its subject, too large...): the rows behind it must not wait.
                    refused++;
                    recordFailure(handle, row, e, refusalBackoff(row.attempts()));
                } catch (MessagingException e) {
                    // No ack: NATS is probably unreachable. The rows behind it stay unpublished (some may have been
                    // stored: published again later, JetStream drops the copies by their Nats-Msg-Id).
                    failure = e;
                    recordFailure(handle, row, e, null);
                    sent.subList(i + 1, sent.size()).forEach(EventPublisher.Pending::abandon);
                    break;
                }
            }
            beforeMark.run();
            OutboxTable.markPublished(handle, stored);
            int republished = 0;
            for (Map.Entry<String, Long> lost : reset.entrySet()) {
                republished += republishLost(handle, lost.getKey(), lost.getValue());
            }
            return new Batch(stored.size(), refused, republished, failure);
        });
        if (batch.failure() != null) {
            LOG.log(Level.WARNING, "outbox relay: publish failed after " + batch.published() + " rows, retrying later",
                    batch.failure());
        }
        if (streamMissing.get()) {
            // Outside the transaction: JetStream calls. The refused rows are retried after their back-off.
            publisher.recreateMissingStreams();
        }
        return batch;
    }

    /**
     * True when JetStream stored {@code result} at a sequence not above the last one known of that stream (see
     * lastSequence): the stream was created anew (deleted, or its store lost), so what it held before is gone.
     * Several instances' relays share the table: another relay's publishes only raise the stream's sequence.
     */
    private boolean sequenceWentBack(PublishResult result) {
        Long known = lastSequence.put(result.stream(), result.sequence());
        return known != null && result.sequence() <= known;
    }

    /**
     * Makes the rows that {@code stream} held before it was reset unpublished again, to be relayed in order: rows
     * published but perhaps never consumed are recovered; those consumed already are skipped by the consumers'
     * idempotency guards. How far back is bounded by {@code outbox.retention} (older rows are purged).
     */
    private static int republishLost(Handle handle, String stream, long beforeId) {
        int rows = OutboxTable.republish(handle, stream, beforeId,
                "republished: stream " + stream + " lost its data");
        LOG.warning(() -> "outbox relay: stream " + stream + " lost its data (its sequence went back); "
                + rows + " rows it had stored are published again");
        return rows;
    }

    /**
     * Makes every row published since {@code since} unpublished, so that the relay publishes it again (an operator's
     * recovery after a JetStream data loss the relay could not detect); returns how many. Consumers skip what they
     * had applied already.
     */
    public int republishSince(Instant since) {
        Objects.requireNonNull(since, "since");
        int rows = jdbi.inTransaction(handle -> OutboxTable.republishSince(handle, since));
        LOG.warning(() -> "outbox relay: " + rows + " rows published since " + since + " are published again");
        wakeUp();
        return rows;
    }

    /** 1 s after a row's first refusal, doubling per refusal up to 1 min: a missing stream or a full one. */
    private static Duration refusalBackoff(int attempts) {
        long millis = FIRST_REFUSAL_RETRY.toMillis() << Math.min(attempts, 16);
        return Duration.ofMillis(Math.min(millis, MAX_REFUSAL_RETRY.toMillis()));
    }

    private static void recordFailure(Handle handle, OutboxRow row, MessagingException error, Duration retryIn) {
        if (retryIn != null) {
            // Retried after a growing back-off until fixed: warn once per row, the table keeps the count and the error.
            LOG.log(row.attempts() == 0 ? Level.WARNING : Level.FINE,
                    () -> "outbox relay: event " + row.eventId() + " refused: " + error.getMessage());
        }
        OutboxTable.recordFailure(handle, row.id(), error.getMessage(), retryIn);
    }

    private void run() {
        int failures = 0;
        while (!closed.get()) {
            boolean full = false;
            try {
                Batch batch = relayBatch();
                failures = batch.failure() == null ? 0 : failures + 1;
                full = batch.failure() == null
                        && (batch.published() == settings.batchSize() || batch.republished() > 0);
            } catch (RuntimeException e) {
                failures++;
                LOG.log(failures == 1 ? Level.WARNING : Level.FINE, "outbox relay: batch failed (database?)", e);
            }
            // After a failure, commits do not cut the back-off short: each would retry a publish bound to fail.
            if (!full && !awaitWakeUp(delay(failures), failures == 0)) {
                break;
            }
        }
    }

    /**
     * The poll interval; after consecutive failures 100 ms doubled per failure up to 5 s (or the poll interval if
     * shorter), so that an outage neither spins nor delays the recovery by a whole fallback poll.
     */
    private Duration delay(int failures) {
        if (failures == 0) {
            return settings.pollInterval();
        }
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 10));
        Duration cap = MAX_BACKOFF.compareTo(settings.pollInterval()) < 0 ? MAX_BACKOFF : settings.pollInterval();
        return backoff.compareTo(cap) > 0 ? cap : backoff;
    }

    /** Waits {@code delay}, or less if woken and {@code wakeable}; false if interrupted. Close always ends it. */
    private boolean awaitWakeUp(Duration delay, boolean wakeable) {
        long deadline = System.nanoTime() + delay.toNanos();
        try {
            long left;
            while (!closed.get() && (left = deadline - System.nanoTime()) > 0) {
                if (wake.tryAcquire(left, TimeUnit.NANOSECONDS) && wakeable) {
                    break;
                }
            }
            wake.drainPermits();
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
