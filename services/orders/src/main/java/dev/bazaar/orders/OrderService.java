package dev.bazaar.orders;

import dev.bazaar.contracts.Money;
import dev.bazaar.kit.Failure;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Orders' use cases. */
public final class OrderService {
    private final OrderRepository orders;
    private final CatalogClient catalog;
    private final OrderLimits limits;
    private final Clock clock;
    private final Supplier<UUID> ids;

    public OrderService(OrderRepository orders, CatalogClient catalog, OrderLimits limits, Clock clock,
                        Supplier<UUID> ids) {
        this.orders = orders;
        this.catalog = catalog;
        this.limits = limits;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * Validates the request, prices it with catalog's current prices, and stores the order as {@code PLACED}.
     * Nothing is written unless every check passed and catalog answered.
     */
    public Order place(PlaceOrder request, String customerId) {
        List<PlaceOrder.Item> items = validate(request);
        Map<UUID, CatalogProduct> products = catalog.products(items.stream().map(PlaceOrder.Item::productId).toList())
                .stream().collect(Collectors.toMap(CatalogProduct::id, Function.identity(), (a, b) -> a));
        List<UUID> unknown = items.stream().map(PlaceOrder.Item::productId).filter(id -> !products.containsKey(id))
                .toList();
        if (!unknown.isEmpty()) {
            throw Failure.invalid("unknown product(s): " + unknown);
        }
        Set<String> currencies = products.values().stream().map(p -> p.price().currency()).collect(Collectors.toSet());
        if (currencies.size() > 1) {
            throw Failure.invalid("an order must be in one currency, these products are in " + currencies);
        }
        String currency = currencies.iterator().next();
        List<OrderLine> lines = new ArrayList<>();
        long total = 0;
        for (PlaceOrder.Item item : items) {
            CatalogProduct product = products.get(item.productId());
            long lineAmount = Math.multiplyExact(product.price().amount(), item.quantity());
            total = Math.addExact(total, lineAmount);
            lines.add(new OrderLine(product.id(), product.sku(), product.name(), item.quantity(), product.price(),
                    new Money(lineAmount, currency)));
        }
        Instant now = clock.instant();
        Order order = new Order(ids.get(), customerId, OrderStatus.PLACED, new Money(total, currency), lines, now,
                List.of(new StatusChange(OrderStatus.PLACED, "placed", now)));
        orders.insert(order);
        return order;
    }

    public Order get(UUID id) {
        return orders.find(id).orElseThrow(() -> Failure.notFound("no order " + id));
    }

    private List<PlaceOrder.Item> validate(PlaceOrder request) {
        if (request == null || request.items() == null || request.items().isEmpty()) {
            throw Failure.invalid("items must hold at least one product");
        }
        List<PlaceOrder.Item> items = request.items();
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
