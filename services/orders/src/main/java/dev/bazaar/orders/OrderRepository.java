package dev.bazaar.orders;

import java.util.Optional;
import java.util.UUID;

/** Where orders are kept. */
public interface OrderRepository {
    /** Stores the order, its lines and its first status entry in one transaction. */
    void insert(Order order);

    Optional<Order> find(UUID id);
}
