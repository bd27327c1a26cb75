package dev.bazaar.orders.http;

import dev.bazaar.contracts.Failure;
import dev.bazaar.kit.Pages;
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

import java.util.List;
import java.util.Optional;

/** {@code /orders}: customers place orders, list and read their own; admins list and read any. */
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
                .get("/", HttpSecurity.authenticated(), this::list)
                .get("/{id}", HttpSecurity.authenticated(), this::get);
    }

    /**
     * The caller's orders, newest first, a page at a time ({@link Pages}); an admin lists everyone's, or one
     * customer's with {@code ?customerId=}. Anyone else naming another customer is refused (403).
     */
    private void list(ServerRequest req, ServerResponse res) {
        Caller caller = HttpSecurity.caller(req);
        int limit = Pages.limit(req);
        String customer = req.query().contains("customerId") ? Requests.textQuery(req, "customerId") : null;
        if (!caller.isAdmin()) {
            if (customer != null && !customer.equals(caller.subject())) {
                throw new Failure(Failure.Kind.FORBIDDEN, "only admins list other customers' orders");
            }
            customer = caller.subject();
        }
        Optional<Pages.TimeKey> after = Pages.timeCursor(req);
        List<Order> rows = orders.list(customer, after.map(Pages.TimeKey::at).orElse(null),
                after.map(Pages.TimeKey::id).orElse(null), limit + 1);
        Pages.Page<Order> page = Pages.Page.of(rows, limit,
                order -> Pages.cursor(new Pages.TimeKey(order.placedAt(), order.id())));
        res.send(new OrderPage(page.items().stream().map(OrderBody::of).toList(), page.next()));
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
