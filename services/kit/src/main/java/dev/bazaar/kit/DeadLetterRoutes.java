package dev.bazaar.kit;

import dev.bazaar.contracts.Failure;
import dev.bazaar.messaging.events.DeadLetter;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.messaging.events.ReplayResult;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.Objects;

/**
 * {@code /admin/dead-letters}: list, read, replay and delete the messages this service's consumers gave up on.
 * Register it on every service that consumes events, with all its listeners: a replay is processed again locally by
 * the listener whose durable consumer gave up on the message ({@link EventListener#reprocess}), never republished
 * (a consumer may not publish on its producer's subjects).
 */
public final class DeadLetterRoutes implements HttpService {
    private final DeadLetters deadLetters;
    private final List<EventListener> listeners;

    /** The routes over {@code deadLetters}, replaying through {@code listeners} (the service's own). */
    public DeadLetterRoutes(DeadLetters deadLetters, List<EventListener> listeners) {
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{sequence}", this::get)
                .post("/{sequence}/replay", this::replay)
                .delete("/{sequence}", this::delete);
    }

    /** The body of {@code GET /admin/dead-letters}. */
    public record Page(String stream, List<DeadLetter> deadLetters) {
    }

    private void list(ServerRequest req, ServerResponse res) {
        int limit = Requests.intQuery(req, "limit", 100);
        if (limit < 1 || limit > 1000) {
            throw Failure.invalid("limit must be 1..1000");
        }
        res.send(new Page(deadLetters.streamName(), deadLetters.list(limit)));
    }

    private void get(ServerRequest req, ServerResponse res) {
        long sequence = sequence(req);
        res.send(deadLetters.get(sequence).orElseThrow(() -> Failure.notFound("no dead letter " + sequence)));
    }

    private void replay(ServerRequest req, ServerResponse res) {
        long sequence = sequence(req);
        DeadLetter letter = deadLetters.get(sequence).orElseThrow(() -> Failure.notFound("no dead letter " + sequence));
        EventListener listener = listeners.stream()
                .filter(candidate -> candidate.spec().durable().equals(letter.consumer()))
                .findFirst()
                .orElseThrow(() -> Failure.conflict("dead letter " + sequence + " was given up on by consumer "
                        + (letter.consumer() == null ? "(unknown)" : letter.consumer())
                        + ", which this service does not run: kept"));
        ReplayResult result = listener.reprocess(letter);
        if (!result.replayed()) {
            throw Failure.conflict(result.detail());
        }
        res.send(result);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        long sequence = sequence(req);
        if (!deadLetters.delete(sequence)) {
            throw Failure.notFound("no dead letter " + sequence);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static long sequence(ServerRequest req) {
        try {
            long sequence = Long.parseLong(req.path().pathParameters().get("sequence"));
            if (sequence < 1) {
                throw new NumberFormatException();
            }
            return sequence;
        } catch (NumberFormatException e) {
            throw Failure.invalid("sequence must be a positive integer");
        }
    }
}
