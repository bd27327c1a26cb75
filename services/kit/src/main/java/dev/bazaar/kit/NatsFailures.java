package dev.bazaar.kit;

import dev.bazaar.contracts.Failure;
import dev.bazaar.messaging.ErrorMapper;
import dev.bazaar.messaging.NoRespondersException;
import dev.bazaar.messaging.NotConnectedException;
import dev.bazaar.messaging.RemoteErrorException;
import dev.bazaar.messaging.RequestTimeoutException;
import dev.bazaar.messaging.ServiceError;

import java.util.function.Supplier;

/** Translates between {@link Failure} and NATS service errors, in one place for every service. */
public final class NatsFailures {
    private NatsFailures() {
    }

    /**
     * For endpoints: a {@link Failure} answers with its status as {@code Nats-Service-Error-Code}; the database being
     * unavailable (lock or statement timeout, no connection) with 503, which the requester treats as unavailable.
     */
    public static final ErrorMapper TO_SERVICE_ERROR = error -> error instanceof Failure failure
            ? new ServiceError(failure.kind().status(), failure.getMessage())
            : Database.isUnavailable(error) ? new ServiceError(503, "database unavailable; retry later")
            : null;

    /**
     * For clients: runs a request and turns messaging failures into {@link Failure}s a use case understands —
     * nobody serving the subject or NATS disconnected is {@code UNAVAILABLE}, no answer in time is {@code TIMEOUT}, an error reply keeps
     * its status (5xx replies become {@code UNAVAILABLE}: the peer's internals are not ours to show).
     */
    public static <T> T call(String peer, Supplier<T> request) {
        try {
            return request.get();
        } catch (NoRespondersException e) {
            throw Failure.unavailable(peer + " is not available");
        } catch (NotConnectedException e) {
            throw Failure.unavailable(peer + " is not reachable: NATS is disconnected");
        } catch (RequestTimeoutException e) {
            throw Failure.timeout(peer + " did not answer in time");
        } catch (RemoteErrorException e) {
            Failure.Kind kind = Failure.Kind.ofStatus(e.code());
            if (kind.status() >= 500) {
                throw Failure.unavailable(peer + " failed: " + e.errorMessage());
            }
            throw new Failure(kind, e.errorMessage());
        }
    }
}
