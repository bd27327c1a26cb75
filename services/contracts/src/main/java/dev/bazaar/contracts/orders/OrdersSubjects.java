package dev.bazaar.contracts.orders;

/** The NATS subjects orders serves (Service API name and queue group {@value #SERVICE}). */
public final class OrdersSubjects {
    /** The Service API name, group and queue group. */
    public static final String SERVICE = "orders";
    /** Request {@link GetOrderRequest}, reply {@link OrderInfo}; an unknown id is error 404. */
    public static final String GET_ORDER = "orders.get-order";

    private OrdersSubjects() {
    }
}
