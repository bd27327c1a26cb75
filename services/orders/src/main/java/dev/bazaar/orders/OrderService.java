package dev.bazaar.orders;

import dev.bazaar.contracts.Money;
import dev.bazaar.contracts.Failure;
import dev.bazaar.contracts.OutgoingEvent;
import dev.bazaar.contracts.SourceEvent;
import dev.bazaar.contracts.orders.OrderLimits;

import dev.bazaar.contracts.orders.PaymentTokenSeal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Orders' use cases. */
public final class OrderService {
    /** Names the saga deadline in the processed-events guard: each order is cancelled by it at most once. */
    public static final String SAGA_DEADLINE = "orders-saga-deadline";
    private static final Logger LOG = Logger.getLogger(OrderService.class.getName());
    /** Pauses before each new try of a release that failed: some 30 s in all, half the hold's TTL (1 minute). */
    static final List<Duration> RELEASE_RETRIES = List.of(Duration.ofMillis(500), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(8), Duration.ofSeconds(15));

    private final OrderRepository orders;
    private final CatalogClient catalog;
    private final OrderLimits limits;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final OrderEvents events;
    private final LongAdder paidAfterCancel = new LongAdder();

    /** {@code paymentTokens} seals the payment token into order-placed for payments only. */
    public OrderService(OrderRepository orders, CatalogClient catalog, OrderLimits limits, Clock clock,
                        Supplier<UUID> ids, PaymentTokenSeal paymentTokens) {
        this.orders = orders;
        this.catalog = catalog;
        this.limits = limits;
        this.clock = clock;
        this.ids = ids;
        this.events = new OrderEvents(ids, paymentTokens);
    }

    /** {@link #place(PlaceOrder, Customer, String)} without an Idempotency-Key. */
    public Order place(PlaceOrder request, Customer customer) {
        return place(request, customer, null).order();
    }

    /**
     * Validates the request, reserves the stock with catalog (which prices it), and stores the order as
     * {@code PLACED} together with its {@code order-placed} event. Nothing is written unless every check passed; a
     * reservation that cannot become an order is released at once (and would expire anyway).
     * <p>
     * With an {@code idempotencyKey} (nullable), a retry finds the order the first try placed, whatever became of
     * the first try's answer: the same key with the same request is that order (not created again), the same key
     * with another request is refused (422). Two concurrent tries race to the unique key; the loser gives its
     * reservation back and answers with the winner's order.
     */
    public Placement place(PlaceOrder request, Customer customer, String idempotencyKey) {
        List<PlaceOrder.Item> items = validate(request);
        IdempotencyKey key = idempotencyKey == null ? null : new IdempotencyKey(idempotencyKey, request.fingerprint());
        if (key != null) {
            Optional<Placement> earlier = earlier(customer, key);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        UUID orderId = ids.get();
        CatalogClient.StockReservation reservation = reserve(orderId, items, customer);
        try {
            Order order = price(orderId, customer.id(), items, reservation);
            orders.insert(order, key, List.of(events.placed(order, request.paymentToken())));
            return new Placement(order, true);
        } catch (OrderRepository.KeyTaken e) {
            releaseInBackground(orderId, "a concurrent request with the same Idempotency-Key placed the order");
            return earlier(customer, key).orElseThrow(() -> new IllegalStateException("key taken but not found", e));
        } catch (RuntimeException e) {
            releaseInBackground(orderId, "order not placed: " + e.getMessage());
            throw e;
        }
    }

    private Optional<Placement> earlier(Customer customer, IdempotencyKey key) {
        return orders.findByKey(customer.id(), key.value()).map(found -> {
            if (!found.requestFingerprint().equals(key.requestFingerprint())) {
                throw Failure.unprocessable("Idempotency-Key " + key.value()
                        + " was already used for another request (order " + found.order().id() + ")");
            }
            return new Placement(found.order(), false);
        });
    }

    /** Payment went through: a placed order is confirmed (once; late or repeated events change nothing). */
    public Optional<Order> paymentAuthorized(SourceEvent source, UUID orderId, UUID paymentId) {
        Instant now = clock.instant();
        Optional<Order> confirmed = orders.update(orderId, source, order -> move(order, OrderStatus.CONFIRMED,
                "payment authorized", now, moved -> events.confirmed(moved, paymentId, now)));
        if (confirmed.isEmpty()) {
            orders.find(orderId).filter(order -> order.status() == OrderStatus.CANCELLED).ifPresent(order -> {
                // Only when the saga deadline cancelled while payments was charging: money without goods.
                paidAfterCancel.increment();
                LOG.warning(() -> "order " + orderId + " is CANCELLED (" + order.history().getLast().reason()
                        + ") but payment " + paymentId + " was authorized: payments voids it on order-cancelled");
            });
        }
        return confirmed;
    }

    /** Payments authorized for orders already cancelled (payments voids them; see docs/reliability.md). */
    public long paidAfterCancel() {
        return paidAfterCancel.sum();
    }

    /** Payment was refused: a placed order is cancelled and its stock is to be released. */
    public Optional<Order> paymentDeclined(SourceEvent source, UUID orderId, String reason) {
        Instant now = clock.instant();
        String why = "payment declined: " + reason;
        return orders.update(orderId, source, order -> move(order, OrderStatus.CANCELLED, why, now,
                moved -> events.cancelled(moved, why, now)));
    }

    private static Optional<OrderChange> move(Order order, OrderStatus target, String reason, Instant at,
                                              Function<Order, OutgoingEvent> announce) {
        Optional<Order> moved = order.moveTo(target, reason, at);
        if (moved.isEmpty()) {
            LOG.info(() -> "order " + order.id() + " is " + order.status() + ", not moving it to " + target);
        }
        return moved.map(m -> new OrderChange(m, List.of(announce.apply(m))));
    }

    /**
     * Cancels, with the reason and an {@code order-cancelled} event (catalog releases the stock), up to {@code limit}
     * orders still {@code PLACED} longer than {@code deadline}: their saga is stuck (an event dead-lettered, JetStream
     * data lost), and a customer waiting forever is worse than a cancellation. A payment outcome that comes later
     * changes nothing (transitions only go forward); payments never charges an order whose stock was released.
     * Returns the orders cancelled.
     */
    public List<Order> cancelOverdue(Duration deadline, int limit) {
        Instant now = clock.instant();
        String why = "saga deadline: no payment outcome within " + deadline;
        List<Order> cancelled = new ArrayList<>();
        for (UUID orderId : orders.placedBefore(now.minus(deadline), limit)) {
            orders.update(orderId, new SourceEvent(SAGA_DEADLINE, orderId.toString()), order -> move(order,
                    OrderStatus.CANCELLED, why, now, moved -> events.cancelled(moved, why, now))).ifPresent(cancelled::add);
        }
        return cancelled;
    }

    private CatalogClient.StockReservation reserve(UUID orderId, List<PlaceOrder.Item> items, Customer customer) {
        CatalogClient.StockReservation reservation;
        try {
            reservation = catalog.reserve(orderId, items, customer);
        } catch (Failure e) {
            if (e.kind() == Failure.Kind.TIMEOUT) {
                // Catalog may have reserved after all: give it back now rather than at expiry.
                releaseInBackground(orderId, "reservation timed out");
            }
            throw e;
        }
        if (!reservation.missing().isEmpty()) {
            throw Failure.invalid("unknown product(s): " + reservation.missing());
        }
        if (!reservation.reserved()) {
            throw Failure.conflict("not enough stock for product(s): " + reservation.insufficient());
        }
        return reservation;
    }

    private Order price(UUID orderId, String customerId, List<PlaceOrder.Item> items,
                        CatalogClient.StockReservation reservation) {
        Map<UUID, CatalogProduct> products = reservation.products().stream()
                .collect(Collectors.toMap(CatalogProduct::id, Function.identity(), (a, b) -> a));
        Set<String> currencies = products.values().stream().map(p -> p.price().currency()).collect(Collectors.toSet());
        if (currencies.size() != 1) {
            throw Failure.invalid("an order must be in one currency, these products are in " + currencies);
        }
        String currency = currencies.iterator().next();
        List<OrderLine> lines = new ArrayList<>();
        long total = 0;
        for (PlaceOrder.Item item : items) {
            CatalogProduct product = products.get(item.productId());
            if (product == null) {
                throw new IllegalStateException("catalog reserved without pricing product " + item.productId());
            }
            long lineAmount = Math.multiplyExact(product.price().amount(), item.quantity());
            total = Math.addExact(total, lineAmount);
            lines.add(new OrderLine(product.id(), product.sku(), product.name(), item.quantity(), product.price(),
                    new Money(lineAmount, currency)));
        }
        // PostgreSQL keeps microseconds: the 201 shows the order exactly as every later read (and a retry's 200) does.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return new Order(orderId, customerId, OrderStatus.PLACED, new Money(total, currency), lines, now,
                List.of(new StatusChange(OrderStatus.PLACED, "placed", now)));
    }

    /**
     * Gives the order's hold back, on a thread of its own: the caller's answer does not wait for it. A write that
     * failed because the database is unavailable (after {@code db.pool.timeout}) is mostly met by a catalog that is
     * unavailable too (the same PostgreSQL), and waiting for its release as well gave such a 503 two waits (one
     * path to scenario e's 4.6 s). The first try is at once; one catalog could not do now (it was slow or unreachable: the
     * same load that made the reserve time out, or the release waited on the reserve's row past the lock timeout) is
     * tried again after each of {@link #RELEASE_RETRIES}, so that the hold goes within seconds, not at its TTL.
     */
    private void releaseInBackground(UUID orderId, String reason) {
        Thread.ofVirtual().name("release-" + orderId).start(() -> {
            if (tryRelease(orderId, reason)) {
                return;
            }
            for (Duration pause : RELEASE_RETRIES) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (tryRelease(orderId, reason)) {
                    return;
                }
            }
            LOG.warning(() -> "could not release the reservation of order " + orderId + " after "
                    + (RELEASE_RETRIES.size() + 1) + " tries (it expires by itself)");
        });
    }

    /** True when the release is done, or failed for good (then retrying cannot help); false to try again. */
    private boolean tryRelease(UUID orderId, String reason) {
        try {
            catalog.release(orderId, reason);
            return true;
        } catch (Failure e) {
            if (e.kind() == Failure.Kind.UNAVAILABLE || e.kind() == Failure.Kind.TIMEOUT) {
                return false;
            }
            LOG.log(Level.WARNING, "could not release the reservation of order " + orderId
                    + " (it expires by itself): " + e.getMessage());
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not release the reservation of order " + orderId
                    + " (it expires by itself): " + e.getMessage());
            return true;
        }
    }

    /** Any order (for admins and services). */
    public Order get(UUID id) {
        return orders.find(id).orElseThrow(() -> Failure.notFound("no order " + id));
    }

    /**
     * Up to {@code limit} orders newest first, of {@code customerId} or of everyone (null, for admins), after the
     * {@code (beforeAt, beforeId)} of the previous page when given.
     */
    public List<Order> list(String customerId, Instant beforeAt, UUID beforeId, int limit) {
        return orders.list(customerId, beforeAt, beforeId, limit);
    }

    /** An order of {@code customerId}; another customer's order is "not found", so that ids reveal nothing. */
    public Order getOwn(UUID id, String customerId) {
        return orders.find(id).filter(order -> customerId.equals(order.customerId()))
                .orElseThrow(() -> Failure.notFound("no order " + id));
    }

    private List<PlaceOrder.Item> validate(PlaceOrder request) {
        if (request == null || request.items() == null || request.items().isEmpty()) {
            throw Failure.invalid("items must hold at least one product");
        }
        List<PlaceOrder.Item> items = request.items();
        if (request.paymentToken() != null && !request.paymentToken().matches("[A-Za-z0-9_-]{1,100}")) {
            throw Failure.invalid("paymentToken must be 1-100 characters of A-Z, a-z, 0-9, '_' and '-'");
        }
        if (items.size() > limits.maxLines()) {
            throw Failure.invalid("an order may hold at most " + limits.maxLines() + " lines, this one has "
                    + items.size());
        }
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            PlaceOrder.Item item = items.get(i);
            if (item == null || item.productId() == null) {
                throw Failure.invalid("items[" + i + "].productId is required");
            }
            if (item.quantity() < 1 || item.quantity() > limits.maxQuantity()) {
                throw Failure.invalid("items[" + i + "].quantity must be 1.." + limits.maxQuantity());
            }
            if (!seen.add(item.productId())) {
                throw Failure.invalid("items[" + i + "].productId " + item.productId() + " appears twice");
            }
        }
        return items;
    }
}
