package dev.bazaar.orders;

import dev.bazaar.contracts.OutgoingEvent;

import java.util.List;

/** What a use case decided about an order: the order as it is to be stored, and the events to publish with it. */
public record OrderChange(Order order, List<OutgoingEvent> events) {
    public OrderChange {
        events = List.copyOf(events);
    }
}
