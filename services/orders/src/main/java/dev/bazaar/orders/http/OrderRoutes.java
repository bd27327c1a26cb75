package dev.bazaar.orders.http;

import dev.bazaar.kit.Requests;
import dev.bazaar.orders.Order;
import dev.bazaar.orders.OrderService;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /orders}: place and read orders. */
public final class OrderRoutes implements HttpService {
    private final OrderService orders;

    public OrderRoutes(OrderService orders) {
        this.orders = orders;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::place)
                .get("/{id}", this::get);
    }

    private void place(ServerRequest req, ServerResponse res) {
        Order order = orders.place(Requests.body(req, PlaceOrderBody.class).toCommand(), null);
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/orders/" + order.id())
                .send(OrderBody.of(order));
    }

    private void get(ServerRequest req, ServerResponse res) {
        res.send(OrderBody.of(orders.get(Requests.uuidParam(req, "id"))));
    }
}
