package dev.bazaar.payments.http;

import dev.bazaar.kit.Requests;
import dev.bazaar.kit.security.Caller;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.payments.PaymentService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /payments}: read the payment attempt of an order. */
public final class PaymentRoutes implements HttpService {
    private final PaymentService payments;

    public PaymentRoutes(PaymentService payments) {
        this.payments = payments;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{orderId}", HttpSecurity.rolesAllowed(Caller.ADMIN), this::get);
    }

    private void get(ServerRequest req, ServerResponse res) {
        res.send(PaymentBody.of(payments.get(Requests.uuidParam(req, "orderId"))));
    }
}
