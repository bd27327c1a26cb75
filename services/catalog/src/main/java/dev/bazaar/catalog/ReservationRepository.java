package dev.bazaar.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Where stock holds are kept; every method is one transaction. */
public interface ReservationRepository {
    /**
     * Holds every item or none, until {@code expiresAt}. A second call for the same order answers with the first
     * reservation and holds nothing more.
     *
     * @throws dev.bazaar.contracts.Failure {@code CONFLICT} when the order's reservation was already released
     */
    Reservation reserve(UUID orderId, List<StockItem> items, Instant expiresAt);

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
