package dev.bazaar.notifications.db;

import dev.bazaar.notifications.Notification;
import dev.bazaar.notifications.NotificationRepository;
import dev.bazaar.notifications.NotificationStatus;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Notifications in notifications' PostgreSQL database, one per order event: the unique {@code event_id} is the
 * idempotent-consumer guard (notifications are never deleted, so it outlasts the messaging library's 30-day
 * processed-events guard, which would only add a statement and a transaction per event).
 */
public final class JdbiNotificationRepository implements NotificationRepository {
    private static final RowMapper<Notification> NOTIFICATION = (rs, ctx) -> new Notification(
            rs.getObject("id", UUID.class),
            rs.getObject("event_id", UUID.class),
            rs.getString("customer_id"),
            rs.getObject("order_id", UUID.class),
            NotificationStatus.valueOf(rs.getString("status")),
            rs.getString("message"),
            rs.getTimestamp("created_at").toInstant());

    private final Jdbi jdbi;

    public JdbiNotificationRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean insertOnce(Notification n) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO notifications (id, event_id, customer_id, order_id, status, message, created_at)
                        VALUES (:id, :event, :customer, :order, :status, :message, :createdAt)
                        ON CONFLICT (event_id) DO NOTHING
                        """)
                .bind("id", n.id())
                .bind("event", n.eventId())
                .bind("customer", n.customerId())
                .bind("order", n.orderId())
                .bind("status", n.status().name())
                .bind("message", n.message())
                .bind("createdAt", Timestamp.from(n.createdAt()))
                .execute() == 1);
    }

    @Override
    public List<Notification> recent(String customerId, Instant beforeAt, UUID beforeId, int limit) {
        // keyset pagination on notifications_by_customer (V1__notifications.sql)
        String after = beforeAt == null ? "" : " AND (created_at, id) < (:beforeAt, :beforeId)";
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, event_id, customer_id, order_id, status, message, created_at
                        FROM notifications WHERE customer_id = :customer""" + after + """

                        ORDER BY created_at DESC, id DESC LIMIT :limit
                        """)
                .bind("customer", customerId)
                .bind("beforeAt", beforeAt == null ? null : Timestamp.from(beforeAt))
                .bind("beforeId", beforeId)
                .bind("limit", limit)
                .map(NOTIFICATION)
                .list());
    }
}
