package dev.bazaar.messaging.events;

import dev.bazaar.messaging.MessagingException;
import io.nats.client.JetStreamApiException;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * One JetStream API request whose checked exceptions stop here: API errors keep their code (see {@link Failed}),
 * everything else becomes a plain {@link MessagingException}, and interruption restores the flag.
 */
@FunctionalInterface
interface JetStreamCall<T> {
    /** JetStream's "stream not found". */
    int STREAM_NOT_FOUND = 10059;
    /** JetStream's "stream name already in use" (another instance created it first). */
    int STREAM_NAME_IN_USE = 10058;
    /** JetStream's "no message found" when reading. */
    int NO_MESSAGE_FOUND = 10037;
    /** JetStream's "no message found" when deleting. */
    int NO_MESSAGE_TO_DELETE = 10057;

    T call() throws IOException, JetStreamApiException, InterruptedException, TimeoutException;

    /** Runs {@code call}; {@code what} names the request in failure messages ("create consumer X on Y"). */
    static <T> T run(String what, JetStreamCall<T> call) {
        try {
            return call.call();
        } catch (JetStreamApiException e) {
            throw new Failed(what + " failed: " + e.getMessage(), e.getApiErrorCode(), e);
        } catch (IOException | TimeoutException | IllegalStateException e) {
            // IllegalStateException: jnats refuses requests on a closed connection.
            throw new MessagingException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException(what + " interrupted", e);
        }
    }

    /** A request JetStream answered with an error; {@link #apiCode()} tells which. */
    final class Failed extends MessagingException {
        private final int apiCode;

        Failed(String message, int apiCode, Throwable cause) {
            super(message, cause);
            this.apiCode = apiCode;
        }

        int apiCode() {
            return apiCode;
        }
    }
}
