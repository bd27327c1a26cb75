package dev.bazaar.observability;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * gRPC spans after the OpenTelemetry RPC conventions: a SERVER span per call received and a CLIENT span per call
 * made, named {@code <package.Service>/<Method>}, with {@code rpc.system=grpc}, {@code rpc.service},
 * {@code rpc.method} and {@code rpc.grpc.status_code}. The W3C trace context travels in the call's metadata
 * ({@code traceparent}, {@code tracestate}), as it does in NATS headers, so one trace spans HTTP, NATS and gRPC hops.
 * The server's handler runs with its span current, so the SQL spans it causes are its children.
 */
public final class GrpcTracing {
    /**
     * Server status codes that mean the server failed (the conventions' list); the others (NOT_FOUND,
     * INVALID_ARGUMENT, UNAUTHENTICATED…) are the caller's problem and leave a server span unset.
     */
    private static final Set<Status.Code> SERVER_ERRORS = Set.of(Status.Code.UNKNOWN, Status.Code.DEADLINE_EXCEEDED,
            Status.Code.UNIMPLEMENTED, Status.Code.INTERNAL, Status.Code.UNAVAILABLE, Status.Code.DATA_LOSS);

    private static final TextMapGetter<Metadata> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Metadata carrier) {
            return carrier.keys();
        }

        @Override
        public String get(Metadata carrier, String key) {
            return carrier == null || key.endsWith(Metadata.BINARY_HEADER_SUFFIX) ? null
                    : carrier.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        }
    };
    private static final TextMapSetter<Metadata> SETTER = (carrier, key, value) ->
            carrier.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);

    private GrpcTracing() {
    }

    /** The interceptor that traces every call a server receives; register it outermost. */
    public static ServerInterceptor serverInterceptor(OpenTelemetry openTelemetry) {
        return new Server(openTelemetry.getTracer(SemanticConventions.SCOPE),
                openTelemetry.getPropagators().getTextMapPropagator());
    }

    /** The interceptor that traces every call a client makes and puts the trace context into its metadata. */
    public static ClientInterceptor clientInterceptor(OpenTelemetry openTelemetry) {
        return new Client(openTelemetry.getTracer(SemanticConventions.SCOPE),
                openTelemetry.getPropagators().getTextMapPropagator());
    }

    private static Span start(Tracer tracer, MethodDescriptor<?, ?> method, SpanKind kind, Context parent) {
        return tracer.spanBuilder(method.getFullMethodName())
                .setParent(parent)
                .setSpanKind(kind)
                .setAttribute(SemanticConventions.RPC_SYSTEM, "grpc")
                .setAttribute(SemanticConventions.RPC_SERVICE, method.getServiceName())
                .setAttribute(SemanticConventions.RPC_METHOD, method.getBareMethodName())
                .startSpan();
    }

    /** Ends {@code span} once with the call's status; {@code ended} guards against close and cancel both ending it. */
    private static void end(Span span, AtomicBoolean ended, Status status, boolean server) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        span.setAttribute(SemanticConventions.RPC_GRPC_STATUS_CODE, (long) status.getCode().value());
        boolean error = server ? SERVER_ERRORS.contains(status.getCode()) : !status.isOk();
        if (error) {
            span.setStatus(StatusCode.ERROR, status.getCode().name());
            span.setAttribute(SemanticConventions.ERROR_TYPE, status.getCode().name());
        }
        span.end();
    }

    private record Server(Tracer tracer, TextMapPropagator propagator) implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            Context parent = propagator.extract(Context.root(), headers, GETTER);
            Span span = start(tracer, call.getMethodDescriptor(), SpanKind.SERVER, parent);
            Context context = parent.with(span);
            AtomicBoolean ended = new AtomicBoolean();
            ServerCall<Q, R> traced = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    end(span, ended, status, true);
                    super.close(status, trailers);
                }
            };
            ServerCall.Listener<Q> listener = within(context, () -> next.startCall(traced, headers));
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                @Override
                public void onMessage(Q message) {
                    within(context, () -> super.onMessage(message));
                }

                @Override
                public void onHalfClose() {
                    within(context, super::onHalfClose);
                }

                @Override
                public void onCancel() {
                    within(context, super::onCancel);
                    end(span, ended, Status.CANCELLED, true);
                }

                @Override
                public void onComplete() {
                    within(context, super::onComplete);
                }

                @Override
                public void onReady() {
                    within(context, super::onReady);
                }
            };
        }
    }

    private record Client(Tracer tracer, TextMapPropagator propagator) implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                     Channel next) {
            Span span = start(tracer, method, SpanKind.CLIENT, Context.current());
            Context context = Context.current().with(span);
            AtomicBoolean ended = new AtomicBoolean();
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    propagator.inject(context, headers, SETTER);
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            end(span, ended, status, false);
                            super.onClose(status, trailers);
                        }
                    }, headers);
                }

                @Override
                public void cancel(String message, Throwable cause) {
                    end(span, ended, Status.CANCELLED, false);
                    super.cancel(message, cause);
                }
            };
        }
    }

    private static void within(Context context, Runnable action) {
        try (Scope ignored = context.makeCurrent()) {
            action.run();
        }
    }

    private static <T> T within(Context context, Supplier<T> action) {
        try (Scope ignored = context.makeCurrent()) {
            return action.get();
        }
    }
}
