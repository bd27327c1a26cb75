package dev.bazaar.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** Where stock holds are kept; every method is one transaction. */
public interface ReservationRepository {
    /**
     * In one transaction: claims the order's reservation, loads the items' products (locked against concurrent
     * reservations), lets {@code decide} make the all-or-nothing decision, and stores it: when reserved, the products'
     * new stock and the held lines, until {@code expiresAt}; when refused, nothing. A second call for the same order
     * answers with the first reservation and holds nothing more.
     *
     * @throws dev.bazaar.contracts.Failure {@code CONFLICT} when the order's reservation was already released
     */
    Reservation reserve(UUID orderId, List<StockItem> items, Instant expiresAt,
                        Function<Map<UUID, Product>, Reservation> decide);

    /** Gives the order's held or confirmed stock back; false when there was nothing (left) to give back. */
    boolean release(UUID orderId, String reason);

    /**
     * Makes the order's stock its own for good (status {@code CONFIRMED}, no expiry), as payments asks before
     * charging: a held or confirmed reservation is committed as it is; one the sweeper let lapse is taken again if
     * every line's stock is still there (all or nothing), else refused; one released for any other reason (the order
     * was cancelled, or orders gave up on it) or never made is refused. Idempotent.
     */
    Commitment commit(UUID orderId);


    /** Releases up to {@code limit} held reservations that lapsed before {@code now}; returns how many. */
    int expire(Instant now, int limit);
}
