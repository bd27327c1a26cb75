package dev.bazaar.messaging.events;

import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread behind an {@link EventListener}: binds, then pulls only as many messages as there are free handler
 * slots ({@code maxAckPending}), so that no message waits in a local buffer while its ack timer runs, and runs each
 * on its own virtual thread. Any failure (stream missing, NATS down, consumer deleted) unbinds; it binds again after
 * {@link ConsumerBinding#retryDelay(int)}.
 */
final class PullLoop {
    private static final Logger LOG = Logger.getLogger(PullLoop.class.getName());
    /**
     * A pull waits this long for messages (the server sends an idle heartbeat every 5 s meanwhile). A message
     * arriving is handed over at once, so the expiry only decides how often an idle listener asks again: with the
     * 1 s of before, each listener cost nats-server a pull request and a timeout status every second.
     */
    private static final long PULL_EXPIRES_MILLIS = 10_000;
    /**
     * The first pull after binding is short (jnats' minimum): observed on nats-server 2.9, a pull sent right after
     * the consumer was created is sometimes not served until it expires, so a long one would delay the first
     * messages by its whole expiry.
     */
    private static final long FIRST_PULL_EXPIRES_MILLIS = 1_000;
    /**
     * At most this many messages per pull. With long pulls the server fills the oldest pending pull first, so a
     * smaller batch spreads a burst over the instances (16 here, then the next instance's pull) while still costing
     * one pull request per 16 messages under load.
     */
    private static final int MAX_PULL_BATCH = 16;

    private final ConsumerSpec spec;
    private final ConsumerBinding binding;
    private final EventDispatcher dispatcher;
    private final Semaphore slots;
    private final ExecutorService handlers;
    private volatile boolean bound;
    private volatile boolean stopping;
    /** Set on a reconnect: the pending pull (and maybe the consumer) did not survive it; bind and pull again. */
    private final AtomicBoolean rebind = new AtomicBoolean();
    private Thread thread;

    PullLoop(ConsumerSpec spec, ConsumerBinding binding, EventDispatcher dispatcher) {
        this.spec = spec;
        this.binding = binding;
        this.dispatcher = dispatcher;
        this.slots = new Semaphore(spec.maxAckPending());
        this.handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(spec.durable() + "-", 0).factory());
    }

    void start() {
        thread = Thread.ofVirtual().name(spec.durable() + "-pull").start(this::run);
    }

    /**
     * Ends the current pull and binds again (creating the consumer if it is gone: a fresh JetStream store). Called
     * after a reconnect, where a long pull would otherwise wait for its missed heartbeats before noticing.
     */
    void rebind() {
        if (!stopping && thread != null) {
            rebind.set(true);
            thread.interrupt();
        }
    }

    boolean bound() {
        return bound;
    }

    /** Stops pulling, then waits up to {@code drain} for running handlers; false if some were still running. */
    boolean stop(Duration drain) throws InterruptedException {
        stopping = true;
        thread.interrupt(); // out of a pull or a retry pause at once (rebind() interrupts too, with its flag set)
        thread.join(drain);
        handlers.shutdown();
        boolean drained = handlers.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        bound = false;
        return drained;
    }

    private void run() {
        ConsumerContext consumer = null;
        boolean firstPull = true;
        int failures = 0;
        while (!stopping) {
            try {
                if (consumer == null) {
                    consumer = binding.bind();
                    firstPull = true;
                    bound = true;
                    failures = 0;
                    LOG.info(() -> "listener " + spec.durable() + " bound to " + spec.stream() + " " + spec.filterSubject());
                }
                pull(consumer, firstPull ? FIRST_PULL_EXPIRES_MILLIS : PULL_EXPIRES_MILLIS);
                firstPull = false;
            } catch (InterruptedException e) {
                if (stopping) {
                    break;
                }
            } catch (RuntimeException | JetStreamStatusCheckedException e) {
                if (stopping) {
                    break;
                }
                consumer = null;
                bound = false;
                logFailure(e, failures);
                pause(ConsumerBinding.retryDelay(failures++));
            }
            if (rebind.getAndSet(false)) {
                Thread.interrupted(); // the interrupt was the rebind's, not stop()'s
                consumer = null;
            }
        }
        bound = false;
    }

    /** One pull for as many messages as there are free slots; waits for at least one. */
    private void pull(ConsumerContext consumer, long expiresMillis) throws InterruptedException, JetStreamStatusCheckedException {
        slots.acquire();
        int free = slots.drainPermits();
        int wanted = 1 + Math.min(MAX_PULL_BATCH - 1, free);
        slots.release(free - (wanted - 1));
        int received = 0;
        FetchConsumer fetch = null;
        try {
            fetch = JetStreamCall.run("pull from " + spec.durable(), () -> consumer.fetch(
                    FetchConsumeOptions.builder().maxMessages(wanted).expiresIn(expiresMillis).build()));
            Message message;
            while ((message = fetch.nextMessage()) != null) {
                received++;
                submit(message);
            }
        } finally {
            slots.release(wanted - received);
            closeQuietly(fetch);
        }
    }

    private void submit(Message message) {
        try {
            handlers.execute(() -> {
                try {
                    dispatcher.dispatch(message);
                } catch (RuntimeException e) {
                    // Settling failed (connection lost): JetStream redelivers after the ack wait.
                    LOG.log(Level.WARNING, spec.durable() + ": settling " + message.getSubject() + " failed", e);
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            slots.release(); // stopping: left unsettled, redelivered to whoever consumes next
        }
    }

    private void logFailure(Exception e, int failures) {
        if (e instanceof JetStreamCall.Failed failed && failed.apiCode() == JetStreamCall.STREAM_NOT_FOUND) {
            LOG.log(failures == 0 ? Level.INFO : Level.FINE,
                    () -> "listener " + spec.durable() + ": stream " + spec.stream() + " does not exist yet, waiting");
        } else {
            LOG.log(failures == 0 ? Level.WARNING : Level.FINE,
                    "listener " + spec.durable() + ": pull failed, binding again", e);
        }
    }

    private static void closeQuietly(FetchConsumer fetch) {
        if (fetch == null) {
            return;
        }
        try {
            fetch.close(); // unsubscribes the pull's inbox, also when interrupted mid-pull
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing a pull failed", e);
        }
    }

    /** Sleeps; an interrupt (stop or rebind) ends it early, and the loop tells which. */
    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            // stop() set stopping first; rebind() set its flag
        }
    }
}
