package dev.bazaar.kit;

import dev.bazaar.contracts.Failure;
import dev.bazaar.messaging.outbox.OutboxRelay;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * {@code /admin/outbox} (role admin, like every {@code /admin} path): {@code POST /admin/outbox/republish?since=<ISO
 * instant>} makes every event this service published since then unpublished, so that its relay publishes them again
 * ({@link OutboxRelay#republishSince}): an operator's recovery after a JetStream data loss the relay did not detect
 * by itself (docs/reliability.md). Consumers skip what they had applied already. Register it on every service with
 * an outbox relay.
 */
public final class OutboxRoutes implements HttpService {
    private final OutboxRelay relay;

    public OutboxRoutes(OutboxRelay relay) {
        this.relay = Objects.requireNonNull(relay, "relay");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/republish", this::republish);
    }

    /** The body of {@code POST /admin/outbox/republish}: how many events go out again. */
    public record Republished(Instant since, int republished) {
    }

    private void republish(ServerRequest req, ServerResponse res) {
        Instant since = since(req);
        if (since.isAfter(Instant.now())) {
            throw Failure.invalid("since must not be in the future");
        }
        res.send(new Republished(since, relay.republishSince(since)));
    }

    private static Instant since(ServerRequest req) {
        if (!req.query().contains("since")) {
            throw Failure.invalid("since is required: an ISO-8601 instant, e.g. 2026-12-03T14:00:00Z");
        }
        String value = Requests.textQuery(req, "since");
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Failure.invalid("since must be an ISO-8601 instant, e.g. 2026-12-03T14:00:00Z");
        }
    }
}
