package dev.bazaar.notifications;

import dev.bazaar.contracts.Failure;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This instance's live clients, by customer: {@link #deliver} hands a notification to every subscription of its
 * customer without blocking (each subscription has its own bounded buffer, drained by its client's own thread).
 * A client more than {@code buffer} notifications behind is ended rather than allowed to grow memory: it reconnects
 * and reads what it missed from the list. Kept in memory, hence per instance.
 */
public final class LiveFeed implements AutoCloseable {
    private final int buffer;
    private final ConcurrentHashMap<String, Set<Subscription>> byCustomer = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean closed;

    public LiveFeed(int buffer) {
        if (buffer < 1) {
            throw new IllegalArgumentException("buffer must be positive");
        }
        this.buffer = buffer;
    }

    /** What {@link Subscription#next} found. */
    public sealed interface Next {
        /** A notification to send. */
        record Delivered(Notification notification) implements Next {
        }

        /** Nothing arrived in the time given: a moment for a keep-alive. */
        record Idle() implements Next {
        }

        /** The subscription is over (the feed closed, or the client fell too far behind). */
        record Ended(String reason) implements Next {
        }
    }

    /**
     * Subscribes to the customer's notifications from now on.
     *
     * @throws Failure {@code UNAVAILABLE} once the feed is closed (the instance is stopping)
     */
    public Subscription subscribe(String customerId) {
        Subscription subscription = new Subscription(customerId);
        byCustomer.compute(customerId, (customer, subscriptions) -> {
            Set<Subscription> set = subscriptions == null ? ConcurrentHashMap.newKeySet() : subscriptions;
            set.add(subscription);
            return set;
        });
        count.incrementAndGet();
        if (closed) {
            subscription.close();
            throw Failure.unavailable("this instance is stopping; reconnect");
        }
        return subscription;
    }

    /** Hands {@code notification} to every current subscription of its customer. */
    public void deliver(Notification notification) {
        Set<Subscription> subscriptions = byCustomer.get(notification.customerId());
        if (subscriptions != null) {
            subscriptions.forEach(subscription -> subscription.offer(notification));
        }
    }

    /** How many clients are subscribed on this instance. */
    public int subscribers() {
        return count.get();
    }

    /** Ends every subscription (each delivers what it holds first) and refuses new ones. */
    @Override
    public void close() {
        closed = true;
        byCustomer.values().forEach(set -> set.forEach(subscription -> subscription.end("the server is stopping")));
    }

    private void remove(Subscription subscription) {
        byCustomer.computeIfPresent(subscription.customerId, (customer, set) -> {
            if (set.remove(subscription)) {
                count.decrementAndGet();
            }
            return set.isEmpty() ? null : set;
        });
    }

    /** One live client's view of the feed; close it when the client goes away. */
    public final class Subscription implements AutoCloseable {
        private final String customerId;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final ArrayDeque<Notification> pending = new ArrayDeque<>();
        private String endReason;

        private Subscription(String customerId) {
            this.customerId = customerId;
        }

        /** Waits at most {@code wait} for the next notification. */
        public Next next(Duration wait) throws InterruptedException {
            lock.lock();
            try {
                long nanos = wait.toNanos();
                while (pending.isEmpty() && endReason == null) {
                    if (nanos <= 0) {
                        return new Next.Idle();
                    }
                    nanos = changed.awaitNanos(nanos);
                }
                Notification next = pending.poll();
                return next != null ? new Next.Delivered(next) : new Next.Ended(endReason);
            } finally {
                lock.unlock();
            }
        }

        /** Unsubscribes; idempotent. */
        @Override
        public void close() {
            end("closed");
            remove(this);
        }

        void offer(Notification notification) {
            lock.lock();
            try {
                if (endReason != null) {
                    return;
                }
                if (pending.size() >= buffer) {
                    endReason = "the client fell more than " + buffer + " notifications behind";
                } else {
                    pending.add(notification);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void end(String reason) {
            lock.lock();
            try {
                if (endReason == null) {
                    endReason = reason;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
