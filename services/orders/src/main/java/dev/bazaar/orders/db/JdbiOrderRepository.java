package dev.bazaar.orders.db;

import dev.bazaar.contracts.Money;
import dev.bazaar.orders.Order;
import dev.bazaar.orders.OrderLine;
import dev.bazaar.orders.OrderRepository;
import dev.bazaar.orders.OrderStatus;
import dev.bazaar.orders.StatusChange;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Orders, their lines and status history in orders' PostgreSQL database. */
public final class JdbiOrderRepository implements OrderRepository {
    private final Jdbi jdbi;

    public JdbiOrderRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(Order order) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO orders (id, customer_id, status, currency, total_amount, placed_at, updated_at)
                            VALUES (:id, :customer, :status, :currency, :total, :placedAt, :placedAt)
                            """)
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
        });
    }

    @Override
    public Optional<Order> find(UUID id) {
        return jdbi.inTransaction(h -> h.createQuery("""
                        SELECT id, customer_id, status, currency, total_amount, placed_at FROM orders WHERE id = :id
                        """)
                .bind("id", id)
                .map((rs, ctx) -> new Order(
                        rs.getObject("id", UUID.class),
                        rs.getString("customer_id"),
                        OrderStatus.valueOf(rs.getString("status")),
                        new Money(rs.getLong("total_amount"), rs.getString("currency")),
                        lines(h, id, rs.getString("currency")),
                        rs.getTimestamp("placed_at").toInstant(),
                        history(h, id)))
                .findOne());
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
