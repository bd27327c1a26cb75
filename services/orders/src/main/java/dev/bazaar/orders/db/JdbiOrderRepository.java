package dev.bazaar.orders.db;

import dev.bazaar.contracts.Money;
import dev.bazaar.kit.Json;
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
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
    private static final int MAX_STORE_ATTEMPTS = 10;
    /** The one mapper of the services (dev.bazaar.kit.Json), here to read the lines and history columns. */
    private static final ObjectMapper JSON = Json.codec().mapper();
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
            // One statement (atomic by itself, no transaction around it): the order, its lines, its first status
            // entry and its events in one round trip.
            jdbi.useHandle(h -> bindHistory(bindRows(h.createQuery("""
                            WITH o AS (
                                INSERT INTO orders (id, customer_id, status, currency, total_amount, placed_at, updated_at,
                                                    idempotency_key, request_hash)
                                VALUES (:id, :customer, :status, :currency, :total, :placedAt, :placedAt, :key, :hash)),
                            l AS (
                                INSERT INTO order_lines (order_id, line_no, product_id, sku, name, quantity, unit_amount,
                                                         line_amount)
                                SELECT :id, n, p, s, nm, q, u, a
                                FROM unnest(CAST(:lineProducts AS uuid[]), CAST(:lineSkus AS text[]),
                                            CAST(:lineNames AS text[]), CAST(:lineQuantities AS integer[]),
                                            CAST(:lineUnits AS bigint[]), CAST(:lineAmounts AS bigint[]))
                                     WITH ORDINALITY AS x (p, s, nm, q, u, a, n)),
                            """ + HISTORY_INSERT + """
                            ),
                            e AS (
                            """ + Outbox.INSERT_ROWS + """
                            )
                            SELECT 1
                            """), events)
                    .bind("key", key == null ? null : key.value())
                    .bind("hash", key == null ? null : key.requestFingerprint())
                    .bind("id", order.id())
                    .bind("customer", order.customerId())
                    .bind("status", order.status().name())
                    .bind("currency", order.total().currency())
                    .bind("total", order.total().amount())
                    .bind("placedAt", Timestamp.from(order.placedAt()))
                    .bindArray("lineProducts", UUID.class, order.lines().stream().map(OrderLine::productId).toList())
                    .bindArray("lineSkus", String.class, order.lines().stream().map(OrderLine::sku).toList())
                    .bindArray("lineNames", String.class, order.lines().stream().map(OrderLine::name).toList())
                    .bindArray("lineQuantities", Integer.class, order.lines().stream().map(OrderLine::quantity).toList())
                    .bindArray("lineUnits", Long.class,
                            order.lines().stream().map(line -> line.unitPrice().amount()).toList())
                    .bindArray("lineAmounts", Long.class,
                            order.lines().stream().map(line -> line.lineTotal().amount()).toList()),
                    0, order.history()).mapTo(Integer.class).one());
        } catch (UnableToExecuteStatementException e) {
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())
                    && String.valueOf(sql.getMessage()).contains(KEY_INDEX)) {
                throw new KeyTaken(e);
            }
            throw e;
        }
        afterCommit.run();
    }

    /**
     * A WITH clause {@code h} (its closing parenthesis left to the caller, who may add a {@code WHERE} first): the
     * history entries of {@link #bindHistory}, numbered from {@code :historyFrom} + 1, of the order {@code :id}.
     */
    private static final String HISTORY_INSERT = """
            h AS (
                INSERT INTO order_status_history (order_id, seq, status, reason, at)
                SELECT :id, :historyFrom + n, st, r, CAST(t AS timestamptz)
                FROM unnest(CAST(:historyStatuses AS text[]), CAST(:historyReasons AS text[]),
                            CAST(:historyAts AS text[])) WITH ORDINALITY AS y (st, r, t, n)
            """;

    private <T extends SqlStatement<T>> T bindRows(T statement, List<OutgoingEvent> events) {
        Outbox.Rows rows = outbox.rows();
        events.forEach(event -> rows.add(event.subject(), event.eventId(), event.payload()));
        return rows.bindTo(statement);
    }

    private static <T extends SqlStatement<T>> T bindHistory(T statement, int from, List<StatusChange> added) {
        return statement.bind("historyFrom", from)
                .bindArray("historyStatuses", String.class, added.stream().map(c -> c.status().name()).toList())
                .bindArray("historyReasons", String.class, added.stream().map(StatusChange::reason).toList())
                .bindArray("historyAts", String.class, added.stream().map(c -> c.at().toString()).toList());
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
        return jdbi.withHandle(h -> h.createQuery("SELECT " + ORDER_COLUMNS + ", o.request_hash FROM orders o"
                        + " WHERE o.customer_id = :customer AND o.idempotency_key = :key")
                .bind("customer", customerId)
                .bind("key", key)
                .map((rs, ctx) -> new KeyedOrder(order(rs), rs.getString("request_hash")))
                .findOne());
    }

    @Override
    public Optional<Order> update(UUID id, SourceEvent source, Function<Order, Optional<OrderChange>> change) {
        Optional<Order> stored = jdbi.inTransaction(h -> {
            // The guard and the first read in one statement.
            Guarded first = ProcessedEvents.bindTo(h.createQuery("""
                            WITH g AS (
                            """ + ProcessedEvents.INSERT_FIRST_TIME + """
                            )
                            SELECT (SELECT count(*) FROM g) AS first_time,
                            """ + ORDER_COLUMNS + """

                            FROM (SELECT 1) AS one LEFT JOIN orders o ON o.id = :id
                            """), source.consumer(), source.eventId())
                    .bind("id", id)
                    .map((rs, ctx) -> new Guarded(rs.getInt("first_time") == 1,
                            rs.getObject("id") == null ? Optional.empty() : Optional.of(order(rs))))
                    .one();
            if (!first.firstTime()) {
                return Optional.<Order>empty();
            }
            for (int attempt = 1; ; attempt++) {
                Optional<Order> current = attempt == 1 ? first.order() : read(h, id);
                if (current.isEmpty()) {
                    LOG.warning(() -> "event " + source.eventId() + " is about unknown order " + id + "; ignored");
                    return Optional.<Order>empty();
                }
                Optional<OrderChange> decided = change.apply(current.get());
                if (decided.isEmpty() || store(h, current.get(), decided.get())) {
                    return decided.map(OrderChange::order);
                }
                // Another transaction moved the order between the read and the store: decide again on what it stored
                // (statuses only move forward, so this ends within a step or two).
                if (attempt == MAX_STORE_ATTEMPTS) {
                    throw new IllegalStateException("order " + id + " kept changing while event "
                            + source.eventId() + " was applied");
                }
            }
        });
        stored.ifPresent(order -> afterCommit.run());
        return stored;
    }

    /** The guard's answer (first time or a repeat), and the order as read in the same statement. */
    private record Guarded(boolean firstTime, Optional<Order> order) {
    }

    /**
     * Writes what changed from {@code before} in one statement, if the order still has the status it was read with:
     * status, the history entries added, the events. The status check makes the read and the write one atomic step
     * without a lock held in between (the UPDATE waits for a concurrent change of the row and then sees it); false
     * when it failed, and nothing was written.
     */
    private boolean store(Handle h, Order before, OrderChange change) {
        Order after = change.order();
        List<StatusChange> added = after.history().subList(before.history().size(), after.history().size());
        return bindHistory(bindRows(h.createQuery("""
                        WITH u AS (
                            UPDATE orders SET status = :status, updated_at = :at
                            WHERE id = :id AND status = :before
                            RETURNING id),
                        """ + HISTORY_INSERT + """
                            WHERE EXISTS (SELECT 1 FROM u)),
                        e AS (
                        """ + Outbox.INSERT_ROWS + """
                         WHERE EXISTS (SELECT 1 FROM u))
                        SELECT count(*) FROM u
                        """), change.events())
                .bind("status", after.status().name())
                .bind("before", before.status().name())
                .bind("at", Timestamp.from(added.isEmpty() ? Instant.now() : added.getLast().at()))
                .bind("id", after.id()), before.history().size(), added)
                .mapTo(Integer.class)
                .one() == 1;
    }

    @Override
    public Optional<Order> find(UUID id) {
        return jdbi.withHandle(h -> read(h, id));
    }

    @Override
    public List<Order> list(String customerId, Instant beforeAt, UUID beforeId, int limit) {
        // Keyset pagination on the indexes of V4__orders_listing.sql; the WHERE is built so each variant uses one.
        // One query for the page, lines and history included.
        String where = (customerId == null ? "TRUE" : "o.customer_id = :customer")
                + (beforeAt == null ? "" : " AND (o.placed_at, o.id) < (:beforeAt, :beforeId)");
        return jdbi.withHandle(h -> h.createQuery("SELECT " + ORDER_COLUMNS + " FROM orders o WHERE " + where
                        + " ORDER BY o.placed_at DESC, o.id DESC LIMIT :limit")
                .bind("customer", customerId)
                .bind("beforeAt", beforeAt == null ? null : Timestamp.from(beforeAt))
                .bind("beforeId", beforeId)
                .bind("limit", limit)
                .map((rs, ctx) -> order(rs))
                .list());
    }

    /**
     * An order's columns with its lines and history, each as one JSON array of arrays (one round trip for the order,
     * however many lines): the orders table is {@code o}.
     */
    private static final String ORDER_COLUMNS = """
            o.id, o.customer_id, o.status, o.currency, o.total_amount, o.placed_at,
            (SELECT json_agg(json_build_array(l.product_id, l.sku, l.name, l.quantity, l.unit_amount, l.line_amount)
                             ORDER BY l.line_no)
             FROM order_lines l WHERE l.order_id = o.id) AS lines,
            (SELECT json_agg(json_build_array(s.status, s.reason, s.at) ORDER BY s.seq)
             FROM order_status_history s WHERE s.order_id = o.id) AS history""";

    /** The order with its lines and history. */
    private static Optional<Order> read(Handle h, UUID id) {
        return h.createQuery("SELECT " + ORDER_COLUMNS + " FROM orders o WHERE o.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> order(rs))
                .findOne();
    }

    private static Order order(ResultSet rs) throws SQLException {
        String currency = rs.getString("currency");
        List<OrderLine> lines = new ArrayList<>();
        for (JsonNode line : json(rs.getString("lines"))) {
            lines.add(new OrderLine(UUID.fromString(line.get(0).asText()), line.get(1).asText(), line.get(2).asText(),
                    line.get(3).asInt(), new Money(line.get(4).asLong(), currency),
                    new Money(line.get(5).asLong(), currency)));
        }
        List<StatusChange> history = new ArrayList<>();
        for (JsonNode change : json(rs.getString("history"))) {
            history.add(new StatusChange(OrderStatus.valueOf(change.get(0).asText()), change.get(1).asText(),
                    OffsetDateTime.parse(change.get(2).asText()).toInstant()));
        }
        return new Order(rs.getObject("id", UUID.class), rs.getString("customer_id"),
                OrderStatus.valueOf(rs.getString("status")), new Money(rs.getLong("total_amount"), currency), lines,
                rs.getTimestamp("placed_at").toInstant(), history);
    }

    /** A JSON array built by {@link #ORDER_COLUMNS}; SQL NULL (no rows) is an empty one. */
    private static JsonNode json(String text) throws SQLException {
        if (text == null) {
            return JSON.createArrayNode();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable order lines or history", e);
        }
    }
}
