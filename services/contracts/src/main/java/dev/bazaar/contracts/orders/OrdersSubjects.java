package dev.bazaar.contracts.orders;

/** The NATS subjects of orders: what it serves (queue group {@value #SERVICE}) and the events it publishes. */
public final class OrdersSubjects {
    /** The Service API name, group and queue group. */
    public static final String SERVICE = "orders";
    /** Request {@link GetOrderRequest}, reply {@link OrderInfo}; an unknown id is error 404. */
    public static final String GET_ORDER = "orders.get-order";

    /** The stream orders creates for its events. */
    public static final String STREAM = "ORDERS";
    /** Every orders event subject. */
    public static final String EVENTS = "orders.events.>";
    /** {@link OrderPlaced}. */
    public static final String ORDER_PLACED = "orders.events.order-placed";
    /** {@link OrderConfirmed}. */
    public static final String ORDER_CONFIRMED = "orders.events.order-confirmed";
    /** {@link OrderCancelled}. */
    public static final String ORDER_CANCELLED = "orders.events.order-cancelled";

    private OrdersSubjects() {
    }
}
