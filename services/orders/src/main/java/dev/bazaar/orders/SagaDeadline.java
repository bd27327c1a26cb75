package dev.bazaar.orders;

import dev.bazaar.kit.Periodic;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Runs {@link OrderService#cancelOverdue} every {@code orders.saga.sweep-interval}: orders still {@code PLACED}
 * after {@code orders.saga.deadline} are cancelled. Counted ({@link #cancelled()}, the metric
 * {@code orders.saga.deadline.cancelled}) and reported by one WARNING line per round that cancelled any: a stuck
 * saga is something to look at (dead letters, the streams), not a per-request event.
 */
public final class SagaDeadline implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SagaDeadline.class.getName());
    private static final int BATCH = 100;

    private final OrderService orders;
    private final Duration deadline;
    private final LongAdder cancelled = new LongAdder();
    private final Periodic periodic;

    private SagaDeadline(OrderService orders, Duration deadline, Duration interval) {
        this.orders = orders;
        this.deadline = deadline;
        this.periodic = Periodic.start("saga-deadline", interval, this::sweep);
    }

    public static SagaDeadline start(OrderService orders, Duration deadline, Duration interval) {
        return new SagaDeadline(orders, deadline, interval);
    }

    /** One round: cancels overdue orders a batch at a time; returns how many. */
    int sweep() {
        int total = 0;
        List<Order> batch;
        Order first = null;
        do {
            batch = orders.cancelOverdue(deadline, BATCH);
            if (first == null && !batch.isEmpty()) {
                first = batch.getFirst();
            }
            total += batch.size();
        } while (batch.size() == BATCH);
        if (total > 0) {
            cancelled.add(total);
            int count = total;
            Order oldest = first;
            LOG.warning(() -> "saga deadline: cancelled " + count + " order(s) still PLACED after " + deadline
                    + " (oldest " + oldest.id() + ", placed " + oldest.placedAt()
                    + "); look for dead letters or lost stream data");
        }
        return total;
    }

    /** Orders cancelled at the deadline by this instance since it started. */
    public long cancelled() {
        return cancelled.sum();
    }

    @Override
    public void close() {
        periodic.close();
    }
}
