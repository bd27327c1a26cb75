package dev.bazaar.orders.db;

import dev.bazaar.contracts.Money;
import dev.bazaar.orders.IdempotencyKey;
import dev.bazaar.orders.Order;
import dev.bazaar.orders.OrderChange;
import dev.bazaar.orders.OrderLine;
import dev.bazaar.orders.OrderRepository;
import dev.bazaar.orders.OrderStatus;
import dev.bazaar.contracts.SourceEvent;
import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.orders.StatusChange;
import dev.bazaar.messaging.outbox.Outbox;
import dev.bazaar.messaging.outbox.ProcessedEvents;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Orders, their lines and status history in orders' PostgreSQL database, with their events written to the outbox in
 * the same transaction; {@code afterCommit} (the relay's wake-up) runs once such a transaction has committed.
 */
public final class JdbiOrderRepository implements OrderRepository {
    private static final Logger LOG = Logger.getLogger(JdbiOrderRepository.class.getName());
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String KEY_INDEX = "orders_customer_idempotency_key"; // V2__idempotency_key.sql
    private final Jdbi jdbi;
    private final Outbox outbox;
    private final Runnable afterCommit;

    public JdbiOrderRepository(Jdbi jdbi, Outbox outbox, Runnable afterCommit) {
        this.jdbi = jdbi;
        this.outbox = outbox;
        this.afterCommit = afterCommit;
    }

    @Override
    public void insert(Order order, IdempotencyKey key, List<OutgoingEvent> events) {
        try {
            jdbi.useTransaction(h -> insert(h, order, key, events));
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())
                    && String.valueOf(sql.getMessage()).contains(KEY_INDEX)) {
                throw new KeyTaken(e);
            }
            throw e;
        }
        afterCommit.run();
    }

    private void insert(Handle h, Order order, IdempotencyKey key, List<OutgoingEvent> events) {
        h.createUpdate("""
                        INSERT INTO orders (id, customer_id, status, currency, total_amount, placed_at, updated_at,
                                            idempotency_key, request_hash)
                        VALUES (:id, :customer, :status, :currency, :total, :placedAt, :placedAt, :key, :hash)
                        """)
                .bind("key", key == null ? null : key.value())
                .bind("hash", key == null ? null : key.requestFingerprint())
                .bind("id", order.id())
                .bind("customer", order.customerId())
                .bind("status", order.status().name())
                .bind("currency", order.total().currency())
                .bind("total", order.total().amount())
                .bind("placedAt", Timestamp.from(order.placedAt()))
                .execute();
        var lines = h.prepareBatch("""
                INSERT INTO order_lines (order_id, line_no, product_id, sku, name, quantity, unit_amount, line_amount)
                VALUES (:order, :lineNo, :product, :sku, :name, :quantity, :unit, :amount)
                """);
        for (int i = 0; i < order.lines().size(); i++) {
            OrderLine line = order.lines().get(i);
            lines.bind("order", order.id()).bind("lineNo", i + 1).bind("product", line.productId())
                    .bind("sku", line.sku()).bind("name", line.name()).bind("quantity", line.quantity())
                    .bind("unit", line.unitPrice().amount()).bind("amount", line.lineTotal().amount())
                    .add();
        }
        lines.execute();
        for (StatusChange change : order.history()) {
            appendHistory(h, order.id(), change);
        }
        append(h, events);
    }

    @Override
    public List<UUID> placedBefore(Instant cutoff, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id FROM orders WHERE status = 'PLACED' AND placed_at < :cutoff ORDER BY placed_at LIMIT :limit
                        """)
                .bind("cutoff", Timestamp.from(cutoff))
                .bind("limit", limit)
                .mapTo(UUID.class)
                .list());
    }

    @Override
    public Optional<KeyedOrder> findByKey(String customerId, String key) {
        // Reads outside a transaction (here and in find, list): at READ COMMITTED each statement sees its own snapshot
        // either way, and a BEGIN/COMMIT would only add a round trip.
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, request_hash FROM orders WHERE customer_id = :customer AND idempotency_key = :key
                        """)
                .bind("customer", customerId)
                .bind("key", key)
                .map((rs, ctx) -> new KeyedOrder(read(h, rs.getObject("id", UUID.class), false).orElseThrow(),
                        rs.getString("request_hash")))
                .findOne());
    }

    @Override
    public Optional<Order> update(UUID id, SourceEvent source, Function<Order, Optional<OrderChange>> change) {
        Optional<Order> stored = jdbi.inTransaction(h -> {
            if (!ProcessedEvents.firstTime(h, source.consumer(), source.eventId())) {
                return Optional.<Order>empty();
            }
            Optional<Order> current = read(h, id, true);
            if (current.isEmpty()) {
                LOG.warning(() -> "event " + source.eventId() + " is about unknown order " + id + "; ignored");
                return Optional.<Order>empty();
            }
            Optional<OrderChange> decided = change.apply(current.get());
            decided.ifPresent(c -> store(h, current.get(), c));
            return decided.map(OrderChange::order);
        });
        stored.ifPresent(order -> afterCommit.run());
        return stored;
    }

    /** Writes what changed from {@code before}: status, the history entries added, the events. */
    private void store(Handle h, Order before, OrderChange change) {
        Order after = change.order();
        List<StatusChange> added = after.history().subList(before.history().size(), after.history().size());
        h.createUpdate("UPDATE orders SET status = :status, updated_at = :at WHERE id = :id")
                .bind("status", after.status().name())
                .bind("at", Timestamp.from(added.isEmpty() ? Instant.now() : added.getLast().at()))
                .bind("id", after.id())
                .execute();
        added.forEach(entry -> appendHistory(h, after.id(), entry));
        append(h, change.events());
    }

    private void append(Handle h, List<OutgoingEvent> events) {
        for (OutgoingEvent event : events) {
            outbox.append(h, event.subject(), event.eventId(), event.payload());
        }
    }

    @Override
    public Optional<Order> find(UUID id) {
        return jdbi.withHandle(h -> read(h, id, false));
    }

    @Override
    public List<Order> list(String customerId, Instant beforeAt, UUID beforeId, int limit) {
        // Keyset pagination on the indexes of V4__orders_listing.sql; the WHERE is built so each variant uses one.
        String where = (customerId == null ? "TRUE" : "customer_id = :customer")
                + (beforeAt == null ? "" : " AND (placed_at, id) < (:beforeAt, :beforeId)");
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM orders WHERE " + where
                        + " ORDER BY placed_at DESC, id DESC LIMIT :limit")
                .bind("customer", customerId)
                .bind("beforeAt", beforeAt == null ? null : Timestamp.from(beforeAt))
                .bind("beforeId", beforeId)
                .bind("limit", limit)
                .mapTo(UUID.class)
                .list()
                .stream()
                .map(id -> read(h, id, false).orElseThrow())
                .toList());
    }

    /** The order with its lines and history; {@code lock}: its row locked until the transaction ends. */
    private static Optional<Order> read(Handle h, UUID id, boolean lock) {
        return h.createQuery("SELECT id, customer_id, status, currency, total_amount, placed_at FROM orders WHERE id = :id"
                        + (lock ? " FOR UPDATE" : ""))
                .bind("id", id)
                .map((rs, ctx) -> new Order(
                        rs.getObject("id", UUID.class),
                        rs.getString("customer_id"),
                        OrderStatus.valueOf(rs.getString("status")),
                        new Money(rs.getLong("total_amount"), rs.getString("currency")),
                        lines(h, id, rs.getString("currency")),
                        rs.getTimestamp("placed_at").toInstant(),
                        history(h, id)))
                .findOne();
    }

    private static List<OrderLine> lines(Handle h, UUID orderId, String currency) {
        return h.createQuery("""
                        SELECT product_id, sku, name, quantity, unit_amount, line_amount
                        FROM order_lines WHERE order_id = :order ORDER BY line_no
                        """)
                .bind("order", orderId)
                .map((rs, ctx) -> new OrderLine(
                        rs.getObject("product_id", UUID.class),
                        rs.getString("sku"),
                        rs.getString("name"),
                        rs.getInt("quantity"),
                        new Money(rs.getLong("unit_amount"), currency),
                        new Money(rs.getLong("line_amount"), currency)))
                .list();
    }

    private static List<StatusChange> history(Handle h, UUID orderId) {
        return h.createQuery("SELECT status, reason, at FROM order_status_history WHERE order_id = :order ORDER BY seq")
                .bind("order", orderId)
                .map((rs, ctx) -> new StatusChange(OrderStatus.valueOf(rs.getString("status")), rs.getString("reason"),
                        rs.getTimestamp("at").toInstant()))
                .list();
    }

    private static void appendHistory(Handle h, UUID orderId, StatusChange change) {
        h.createUpdate("""
                        INSERT INTO order_status_history (order_id, seq, status, reason, at)
                        SELECT :order, COALESCE(MAX(seq), 0) + 1, :status, :reason, :at
                        FROM order_status_history WHERE order_id = :order
                        """)
                .bind("order", orderId)
                .bind("status", change.status().name())
                .bind("reason", change.reason())
                .bind("at", Timestamp.from(change.at()))
                .execute();
    }
}
