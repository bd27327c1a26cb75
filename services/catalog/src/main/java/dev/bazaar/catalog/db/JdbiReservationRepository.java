package dev.bazaar.catalog.db;

import dev.bazaar.catalog.Product;
import dev.bazaar.catalog.Commitment;
import dev.bazaar.catalog.Reservation;
import dev.bazaar.catalog.ReservationRepository;
import dev.bazaar.catalog.StockItem;
import dev.bazaar.contracts.Failure;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Stock holds in catalog's database. Products are locked in id order ({@code FOR UPDATE}) so that concurrent
 * reservations for the same units serialize without deadlocks: for the last unit exactly one wins.
 */
public final class JdbiReservationRepository implements ReservationRepository {
    /** The release reason of a hold the sweeper let lapse: the only released reservation a commit may take again. */
    private static final String EXPIRED = "expired";
    private final Jdbi jdbi;

    public JdbiReservationRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Carries a refusal out of the transaction so that it rolls back the reservation row. */
    private static final class Refused extends RuntimeException {
        private final transient Reservation outcome;

        Refused(Reservation outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    @Override
    public Reservation reserve(UUID orderId, List<StockItem> items, Instant expiresAt,
                               Function<Map<UUID, Product>, Reservation> decide) {
        try {
            return jdbi.inTransaction(h -> {
                // Taking the order's row first makes a concurrent retry for the same order wait for this one.
                int claimed = h.createUpdate("""
                                INSERT INTO reservations (order_id, status, expires_at) VALUES (:order, 'HELD', :expires)
                                ON CONFLICT (order_id) DO NOTHING
                                """)
                        .bind("order", orderId)
                        .bind("expires", Timestamp.from(expiresAt))
                        .execute();
                if (claimed == 0) {
                    return existing(h, orderId);
                }
                Reservation outcome = decide.apply(lock(h, items));
                if (!outcome.reserved()) {
                    throw new Refused(outcome); // rolls back the claimed reservation row
                }
                // The products' new stock and the hold's lines in one statement.
                h.createQuery("""
                                WITH s AS (
                                    UPDATE products p SET stock = v.stock
                                    FROM unnest(CAST(:products AS uuid[]), CAST(:stocks AS integer[])) AS v (id, stock)
                                    WHERE p.id = v.id),
                                l AS (
                                    INSERT INTO reservation_lines (order_id, product_id, quantity)
                                    SELECT :order, x.product, x.quantity
                                    FROM unnest(CAST(:lineProducts AS uuid[]), CAST(:lineQuantities AS integer[]))
                                         AS x (product, quantity))
                                SELECT 1
                                """)
                        .bindArray("products", UUID.class, outcome.products().stream().map(Product::id).toList())
                        .bindArray("stocks", Integer.class, outcome.products().stream().map(Product::stock).toList())
                        .bind("order", orderId)
                        .bindArray("lineProducts", UUID.class, items.stream().map(StockItem::productId).toList())
                        .bindArray("lineQuantities", Integer.class, items.stream().map(StockItem::quantity).toList())
                        .mapTo(Integer.class)
                        .one();
                return outcome;
            });
        } catch (Refused refused) {
            return refused.outcome;
        }
    }

    /** Locks the items' products in id order ({@code FOR UPDATE}), so that concurrent holds never deadlock. */
    private static Map<UUID, Product> lock(Handle h, List<StockItem> items) {
        List<UUID> ids = items.stream().map(StockItem::productId).sorted(Comparator.naturalOrder()).toList();
        return h.createQuery("SELECT " + JdbiProductRepository.COLUMNS
                        + " FROM products WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(JdbiProductRepository.PRODUCT)
                .collectToMap(Product::id, Function.identity());
    }

    private static Reservation existing(Handle h, UUID orderId) {
        var row = h.createQuery("SELECT status, expires_at FROM reservations WHERE order_id = :order")
                .bind("order", orderId)
                .mapToMap()
                .one();
        if ("RELEASED".equals(row.get("status"))) {
            throw Failure.conflict("the reservation for order " + orderId + " was already released");
        }
        List<Product> products = h.createQuery("SELECT p.id, p.sku, p.name, p.price_amount, p.currency, p.stock "
                        + "FROM reservation_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = :order")
                .bind("order", orderId)
                .map(JdbiProductRepository.PRODUCT)
                .list();
        Instant expiresAt = ((Timestamp) row.get("expires_at")).toInstant();
        return new Reservation(orderId, true, products, List.of(), List.of(), expiresAt);
    }

    @Override
    public boolean release(UUID orderId, String reason) {
        return jdbi.inTransaction(h -> releaseLocked(h, orderId, reason));
    }

    private static boolean releaseLocked(Handle h, UUID orderId, String reason) {
        int changed = markReleased(h, orderId, reason);
        if (changed == 0) {
            // A release may overtake a slow reserve (orders gave up waiting): leave a tombstone so that the late
            // reserve for this order is refused instead of holding stock nobody will use.
            int tombstone = h.createUpdate("""
                            INSERT INTO reservations (order_id, status, expires_at, release_reason)
                            VALUES (:order, 'RELEASED', now(), :reason) ON CONFLICT (order_id) DO NOTHING
                            """)
                    .bind("order", orderId)
                    .bind("reason", reason)
                    .execute();
            if (tombstone == 1) {
                return false;
            }
            // The row exists after all: the slow reserve had claimed it but not committed when the UPDATE above ran,
            // and the INSERT waited for it to commit. Release what it holds now (a new statement sees the commit),
            // or that hold would outlive the order that gave up on it.
            changed = markReleased(h, orderId, reason);
            if (changed == 0) {
                finalRelease(h, orderId, reason);
                return false;
            }
        }
        // The UPDATE above locked the reservation row, so no other release can add the stock back twice.
        h.createUpdate("""
                        UPDATE products p SET stock = p.stock + l.quantity
                        FROM reservation_lines l WHERE l.order_id = :order AND p.id = l.product_id
                        """)
                .bind("order", orderId)
                .execute();
        return true;
    }

    /**
     * Released already: if only by the sweeper (its hold lapsed), the order's own release (it was cancelled, or gave
     * up) now says why, so that a later commit (its order-placed arriving after its order-cancelled, as after a
     * JetStream data loss) no longer takes the stock of a cancelled order again.
     */
    private static void finalRelease(Handle h, UUID orderId, String reason) {
        if (EXPIRED.equals(reason)) {
            return;
        }
        h.createUpdate("""
                        UPDATE reservations SET release_reason = :reason, updated_at = now()
                        WHERE order_id = :order AND status = 'RELEASED' AND release_reason = :expired
                        """)
                .bind("order", orderId)
                .bind("reason", reason)
                .bind("expired", EXPIRED)
                .execute();
    }

    private static int markReleased(Handle h, UUID orderId, String reason) {
        return h.createUpdate("""
                        UPDATE reservations SET status = 'RELEASED', release_reason = :reason, updated_at = now()
                        WHERE order_id = :order AND status IN ('HELD', 'CONFIRMED')
                        """)
                .bind("order", orderId)
                .bind("reason", reason)
                .execute();
    }

    @Override
    public Commitment commit(UUID orderId) {
        // The usual case, a live hold (or one committed already: orders' event and payments' request both commit), in
        // one statement outside a transaction; the row lock it takes orders it after a concurrent release, which
        // leaves it nothing to match. Anything else (released, lapsed, unknown) goes the long way below.
        int confirmed = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE reservations SET status = 'CONFIRMED', release_reason = NULL, updated_at = now()
                        WHERE order_id = :order AND status IN ('HELD', 'CONFIRMED')
                        """)
                .bind("order", orderId)
                .execute());
        if (confirmed == 1) {
            return new Commitment(true, false, null);
        }
        try {
            return jdbi.inTransaction(h -> {
                Optional<Map<String, Object>> row = h.createQuery("""
                                SELECT status, release_reason FROM reservations WHERE order_id = :order FOR UPDATE
                                """)
                        .bind("order", orderId)
                        .mapToMap()
                        .findOne();
                if (row.isEmpty()) {
                    return Commitment.refused("catalog never reserved stock for order " + orderId);
                }
                String status = (String) row.get().get("status");
                String releasedFor = (String) row.get().get("release_reason");
                if ("RELEASED".equals(status) && !EXPIRED.equals(releasedFor)) {
                    return Commitment.refused("the order's stock was released (" + releasedFor + ")");
                }
                boolean retaken = "RELEASED".equals(status);
                if (retaken) {
                    List<StockItem> lines = h.createQuery(
                                    "SELECT product_id, quantity FROM reservation_lines WHERE order_id = :order")
                            .bind("order", orderId)
                            .map((rs, ctx) -> new StockItem(rs.getObject("product_id", UUID.class), rs.getInt("quantity")))
                            .list();
                    // A hold that lapsed is taken again only if all its stock is there: the domain's decision.
                    Reservation again = Reservation.decide(orderId, lines, lock(h, lines), null);
                    if (!again.reserved()) {
                        throw new Refused(again);
                    }
                    h.createUpdate("""
                                    UPDATE products p SET stock = p.stock - l.quantity
                                    FROM reservation_lines l WHERE l.order_id = :order AND p.id = l.product_id
                                    """)
                            .bind("order", orderId)
                            .execute();
                }
                h.createUpdate("""
                                UPDATE reservations SET status = 'CONFIRMED', release_reason = NULL, updated_at = now()
                                WHERE order_id = :order
                                """)
                        .bind("order", orderId)
                        .execute();
                return new Commitment(true, retaken, null);
            });
        } catch (Refused refused) {
            return Commitment.refused("the order's hold lapsed and its stock is gone since (sold out: "
                    + refused.outcome.insufficient() + ", removed: " + refused.outcome.missing() + ")");
        }
    }

    @Override
    public int expire(Instant now, int limit) {
        return jdbi.inTransaction(h -> {
            // SKIP LOCKED: several catalog instances sweep at once without releasing the same hold twice.
            List<UUID> lapsed = h.createQuery("""
                            SELECT order_id FROM reservations WHERE status = 'HELD' AND expires_at < :now
                            ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED
                            """)
                    .bind("now", Timestamp.from(now))
                    .bind("limit", limit)
                    .mapTo(UUID.class)
                    .list();
            lapsed.forEach(orderId -> releaseLocked(h, orderId, EXPIRED));
            // Released holds (and release tombstones) are kept a week for inspection, then dropped.
            h.createUpdate("DELETE FROM reservations WHERE status = 'RELEASED' AND updated_at < :before")
                    .bind("before", Timestamp.from(now.minus(Duration.ofDays(7))))
                    .execute();
            return lapsed.size();
        });
    }
}
