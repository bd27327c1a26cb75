package dev.bazaar.kit;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Problem answers for what Helidon throws while a handler reads a request that is the client's fault: a header it
 * cannot parse (a {@link HttpException} with a 4xx status, e.g. an invalid {@code Content-Type}) and a body that
 * ends before its {@code Content-Length}. Each was an unhandled 500 with a SEVERE stack trace; now a 4xx logged at
 * FINE. The detail is fixed: Helidon's messages may quote the header.
 */
final class MalformedRequests {
    private static final Logger LOG = Logger.getLogger(MalformedRequests.class.getName());

    private MalformedRequests() {
    }

    static void register(HttpRouting.Builder routing) {
        routing.error(HttpException.class, MalformedRequests::httpException)
                .error(DataReader.InsufficientDataAvailableException.class,
                        (req, res, e) -> send(req, res, Status.BAD_REQUEST_400, "the request ended before its body did"))
                // a chunked body whose chunk lines do not end in CRLF (FuzzIT)
                .error(DataReader.IncorrectNewLineException.class,
                        (req, res, e) -> send(req, res, Status.BAD_REQUEST_400, "malformed request body framing"));
    }

    private static void httpException(ServerRequest req, ServerResponse res, HttpException e) {
        Status status = e.status();
        if (status.code() >= 500) {
            Problems.unexpected(req, res, e);
            return;
        }
        send(req, res, status, status.code() == 400 ? "malformed request" : status.reasonPhrase());
    }

    private static void send(ServerRequest req, ServerResponse res, Status status, String detail) {
        LOG.log(Level.FINE, () -> "refused " + req.prologue().method().text() + " " + req.path().absolute().path()
                + ": " + status.code());
        if (res.isSent()) {
            return;
        }
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        res.send(new Problem("about:blank", status.reasonPhrase(), status.code(), detail, req.path().absolute().path(),
                null));
    }
}
