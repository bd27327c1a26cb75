package dev.bazaar.orders.http;

import dev.bazaar.kit.Requests;
import dev.bazaar.kit.security.Caller;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.orders.Customer;
import dev.bazaar.orders.Order;
import dev.bazaar.orders.OrderService;
import dev.bazaar.orders.Placement;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /orders}: customers place orders and read their own; admins read any. */
public final class OrderRoutes implements HttpService {
    /** The client's key for retrying {@code POST /orders} safely (draft-ietf-httpapi-idempotency-key-header). */
    static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    private final OrderService orders;

    public OrderRoutes(OrderService orders) {
        this.orders = orders;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", HttpSecurity.rolesAllowed(Caller.CUSTOMER), this::place)
                .get("/{id}", HttpSecurity.authenticated(), this::get);
    }

    /**
     * Places an order; with an {@code Idempotency-Key} header, a retry of the same request answers 200 with the
     * order the first try placed (as it is now), and the key reused for another request answers 422.
     */
    private void place(ServerRequest req, ServerResponse res) {
        Customer customer = new Customer(HttpSecurity.caller(req).subject(), HttpSecurity.accessToken(req));
        String key = req.headers().first(IDEMPOTENCY_KEY).orElse(null);
        Placement placement = orders.place(Requests.body(req, PlaceOrderBody.class).toCommand(), customer, key);
        Order order = placement.order();
        res.status(placement.created() ? Status.CREATED_201 : Status.OK_200)
                .header(HeaderNames.LOCATION, "/orders/" + order.id())
                .send(OrderBody.of(order));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Caller caller = HttpSecurity.caller(req);
        var id = Requests.uuidParam(req, "id");
        res.send(OrderBody.of(caller.isAdmin() ? orders.get(id) : orders.getOwn(id, caller.subject())));
    }
}
