package dev.bazaar.kit;

import com.google.protobuf.MessageLite;
import dev.bazaar.contracts.Failure;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gRPC edge of a service, with the rules of the HTTP and NATS edges: a {@link Failure} answers with the gRPC
 * status of its kind and its caller-safe message; anything else is a logged {@code INTERNAL} that shows only the
 * trace id; a request message larger than the HTTP and NATS limit is refused before any handler sees it.
 * <p>
 * Status per kind (the taxonomy of docs/grpc.md, following the gRPC ↔ HTTP mapping of Google's API guidelines):
 * 400 {@code INVALID_ARGUMENT}, 401 {@code UNAUTHENTICATED}, 403 {@code PERMISSION_DENIED}, 404 {@code NOT_FOUND},
 * 405 {@code UNIMPLEMENTED}, 409 {@code ABORTED}, 413 {@code RESOURCE_EXHAUSTED}, 415 and 422
 * {@code INVALID_ARGUMENT}, 429 {@code RESOURCE_EXHAUSTED}, 500 {@code INTERNAL}, 503 {@code UNAVAILABLE},
 * 504 {@code DEADLINE_EXCEEDED}. A switch without default: a new kind does not compile until it has its status.
 */
public final class GrpcServing {
    private static final Logger LOG = Logger.getLogger(GrpcServing.class.getName());

    private GrpcServing() {
    }

    /** The gRPC status a failure of {@code kind} answers with. */
    public static Status.Code code(Failure.Kind kind) {
        return switch (kind) {
            case INVALID, UNSUPPORTED_MEDIA_TYPE, UNPROCESSABLE -> Status.Code.INVALID_ARGUMENT;
            case UNAUTHORIZED -> Status.Code.UNAUTHENTICATED;
            case FORBIDDEN -> Status.Code.PERMISSION_DENIED;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case CONFLICT -> Status.Code.ABORTED;
            case TOO_LARGE, TOO_MANY_REQUESTS -> Status.Code.RESOURCE_EXHAUSTED;
            case METHOD_NOT_ALLOWED -> Status.Code.UNIMPLEMENTED;
            case INTERNAL -> Status.Code.INTERNAL;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case TIMEOUT -> Status.Code.DEADLINE_EXCEEDED;
        };
    }

    /**
     * Answers a unary call with what {@code call} returns, or with the status of what it throws. Use in every
     * generated {@code ...ImplBase} method, so that no exception escapes to the transport (which would answer
     * {@code UNKNOWN} with nothing logged).
     */
    public static <T> void unary(StreamObserver<T> response, Supplier<T> call) {
        T reply;
        try {
            reply = call.get();
        } catch (Failure failure) {
            response.onError(Status.fromCode(code(failure.kind())).withDescription(failure.getMessage())
                    .asRuntimeException());
            return;
        } catch (RuntimeException e) {
            Span.current().recordException(e);
            String traceId = traceId();
            LOG.log(Level.SEVERE, "unhandled error in a gRPC call (trace id " + traceId + ")", e);
            response.onError(Status.INTERNAL.withDescription("internal error; quote trace id " + traceId)
                    .asRuntimeException());
            return;
        }
        response.onNext(reply);
        response.onCompleted();
    }

    /**
     * Refuses, with {@code RESOURCE_EXHAUSTED}, a request message whose encoding is larger than {@code maxBytes}
     * (the {@code server.max-payload-size} that also bounds HTTP bodies and NATS payloads). The message has been
     * read by then (HTTP/2 flow control bounds how much); what the limit protects is the handler and the database.
     */
    public static ServerInterceptor messageLimit(long maxBytes) {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                        next.startCall(call, headers)) {
                    private boolean refused;

                    @Override
                    public void onMessage(Q message) {
                        if (message instanceof MessageLite lite && lite.getSerializedSize() > maxBytes) {
                            refused = true;
                            call.close(Status.RESOURCE_EXHAUSTED.withDescription(
                                    "request message over " + maxBytes + " bytes"), new Metadata());
                            return;
                        }
                        super.onMessage(message);
                    }

                    @Override
                    public void onHalfClose() {
                        if (!refused) {
                            super.onHalfClose();
                        }
                    }
                };
            }
        };
    }

    private static String traceId() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }
}
