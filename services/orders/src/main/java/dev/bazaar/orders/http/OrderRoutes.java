package dev.bazaar.orders.http;

import dev.bazaar.kit.Requests;
import dev.bazaar.kit.security.Caller;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.orders.Customer;
import dev.bazaar.orders.Order;
import dev.bazaar.orders.OrderService;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /orders}: customers place orders and read their own; admins read any. */
public final class OrderRoutes implements HttpService {
    private final OrderService orders;

    public OrderRoutes(OrderService orders) {
        this.orders = orders;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", HttpSecurity.rolesAllowed(Caller.CUSTOMER), this::place)
                .get("/{id}", HttpSecurity.authenticated(), this::get);
    }

    private void place(ServerRequest req, ServerResponse res) {
        Customer customer = new Customer(HttpSecurity.caller(req).subject(), HttpSecurity.accessToken(req));
        Order order = orders.place(Requests.body(req, PlaceOrderBody.class).toCommand(), customer);
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/orders/" + order.id())
                .send(OrderBody.of(order));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Caller caller = HttpSecurity.caller(req);
        var id = Requests.uuidParam(req, "id");
        res.send(OrderBody.of(caller.isAdmin() ? orders.get(id) : orders.getOwn(id, caller.subject())));
    }
}
