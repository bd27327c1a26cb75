package dev.bazaar.orders;

/**
 * Where an order is in its life: {@code PLACED} → {@code CONFIRMED} | {@code CANCELLED}. Transitions only go forward,
 * so an event that arrives late, twice or out of order cannot move an order back.
 */
public enum OrderStatus {
    PLACED,
    CONFIRMED,
    CANCELLED;

    /** True when an order in this status may move to {@code next}. */
    public boolean canMoveTo(OrderStatus next) {
        return this == PLACED && next != PLACED;
    }
}
