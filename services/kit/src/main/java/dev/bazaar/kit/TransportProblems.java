package dev.bazaar.kit;

import dev.bazaar.contracts.Failure;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Problem bodies for what Helidon refuses before routing: a body over {@code max-payload-size} (413) and an
 * unparseable HTTP request (400, also when Helidon calls it an internal error because it could not even read the
 * request line). Without this they would be plain text, unlike every other error.
 */
final class TransportProblems implements DirectHandler {
    private final ObjectMapper mapper;
    private final long maxBody;

    TransportProblems(ObjectMapper mapper, long maxBody) {
        this.mapper = mapper;
        this.maxBody = maxBody;
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        // Helidon reports an oversized body as BAD_REQUEST with status 413: the status is what counts.
        Failure.Kind kind = status.code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code() ? Failure.Kind.TOO_LARGE
                : Failure.Kind.INVALID;
        if (eventType == EventType.INTERNAL_ERROR && !request.method().isEmpty()) {
            kind = Failure.Kind.INTERNAL; // a parsed request that failed in the server: not the client's fault
        }
        // else an INTERNAL_ERROR before the request line was parsed (Helidon 4.3 refuses a method like "GÉT" or
        // "GET\0" that way): a malformed request, not a server fault
        String detail = switch (kind) {
            case TOO_LARGE -> "request body is over the limit of " + maxBody + " bytes";
            case INTERNAL -> "internal error";
            default -> "malformed HTTP request";
        };
        String path = request.path().isEmpty() ? null : request.path();
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(Problem.of(kind, detail, path, null));
        } catch (JsonProcessingException e) {
            body = new byte[0];
        }
        return TransportResponse.builder()
                .status(Status.create(kind.status()))
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/problem+json")
                .keepAlive(false)
                .entity(body)
                .build();
    }
}
