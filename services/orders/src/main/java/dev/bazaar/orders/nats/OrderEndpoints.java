package dev.bazaar.orders.nats;

import dev.bazaar.contracts.orders.GetOrderRequest;
import dev.bazaar.contracts.orders.OrderInfo;
import dev.bazaar.contracts.orders.OrdersSubjects;
import dev.bazaar.contracts.Failure;
import dev.bazaar.kit.NatsFailures;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.RequestContext;
import dev.bazaar.messaging.RunningService;
import dev.bazaar.orders.Order;
import dev.bazaar.orders.OrderService;

/** Orders' request-reply endpoints on NATS. */
public final class OrderEndpoints {
    private final OrderService orders;

    private OrderEndpoints(OrderService orders) {
        this.orders = orders;
    }

    /** Registers the endpoints on the Service API and starts serving. */
    public static RunningService start(NatsMessaging nats, OrderService orders, String version) {
        OrderEndpoints endpoints = new OrderEndpoints(orders);
        return nats.service(OrdersSubjects.SERVICE, version, "Orders and their status")
                .errorMapper(NatsFailures.TO_SERVICE_ERROR)
                .endpoint(OrdersSubjects.GET_ORDER, GetOrderRequest.class, OrderInfo.class, endpoints::getOrder)
                .start();
    }

    private OrderInfo getOrder(GetOrderRequest request, RequestContext context) {
        if (request.orderId() == null) {
            throw Failure.invalid("orderId is required");
        }
        Order order = orders.get(request.orderId());
        return new OrderInfo(order.id(), order.customerId(), order.status().name(), order.total(),
                order.lines().stream()
                        .map(l -> new OrderInfo.Line(l.productId(), l.sku(), l.quantity(), l.unitPrice()))
                        .toList(),
                order.placedAt());
    }
}
