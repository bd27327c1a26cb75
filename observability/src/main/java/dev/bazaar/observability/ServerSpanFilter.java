package dev.bazaar.observability;

import java.util.Optional;
import java.util.Set;

import io.helidon.common.uri.UriInfo;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.HttpPrologue;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;

import static dev.bazaar.observability.SemanticConventions.ERROR_TYPE;
import static dev.bazaar.observability.SemanticConventions.HTTP_REQUEST_METHOD;
import static dev.bazaar.observability.SemanticConventions.HTTP_REQUEST_METHOD_ORIGINAL;
import static dev.bazaar.observability.SemanticConventions.HTTP_RESPONSE_STATUS_CODE;
import static dev.bazaar.observability.SemanticConventions.HTTP_ROUTE;
import static dev.bazaar.observability.SemanticConventions.NETWORK_PROTOCOL_VERSION;
import static dev.bazaar.observability.SemanticConventions.SERVER_ADDRESS;
import static dev.bazaar.observability.SemanticConventions.SERVER_PORT;
import static dev.bazaar.observability.SemanticConventions.URL_PATH;
import static dev.bazaar.observability.SemanticConventions.URL_SCHEME;
import static dev.bazaar.observability.SemanticConventions.USER_AGENT_ORIGINAL;

/** The Helidon filter behind {@link HttpTracing#serverFilter(OpenTelemetry)}. */
final class ServerSpanFilter implements Filter {
    /** Keys under which the span and a recorded exception travel in the Helidon request context. */
    private static final String SPAN_KEY = ServerSpanFilter.class.getName() + ".span";
    private static final String FAILURE_KEY = ServerSpanFilter.class.getName() + ".failure";

    /** Methods the semantic conventions name; anything else is reported as {@code _OTHER} to bound cardinality. */
    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    ServerSpanFilter(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SemanticConventions.SCOPE);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    @Override
    @SuppressWarnings("try")   // the scope is only opened for its side effect: the span is current inside
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        // Root, not current: a server request starts a new local trace unless the caller sent one.
        Context parent = propagator.extract(Context.root(), request.headers(), RequestHeaders.INSTANCE);
        String method = request.prologue().method().text();
        boolean knownMethod = KNOWN_METHODS.contains(method);
        Span span = tracer.spanBuilder(knownMethod ? method : "HTTP")
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAllAttributes(requestAttributes(request, method, knownMethod))
                .startSpan();
        request.context().register(SPAN_KEY, span);
        Throwable escaped = null;
        // The route template is only known once the router has run, i.e. after proceed().
        try (Scope ignored = parent.with(span).makeCurrent()) {
            chain.proceed();
        } catch (RuntimeException | Error e) {
            escaped = e;
            throw e;
        } finally {
            finish(span, knownMethod ? method : "HTTP", request, response, escaped);
        }
    }

    /** Records {@code failure} on the request's span, if there is one; see {@link HttpTracing#recordException}. */
    static void recordException(ServerRequest request, Throwable failure) {
        if (isClientError(failure)) {
            return;   // a 4xx HttpException is an answer, not a failure of this server
        }
        request.context().get(SPAN_KEY, Span.class).ifPresent(span -> {
            span.recordException(failure);
            request.context().register(FAILURE_KEY, failure);
        });
    }

    private static Attributes requestAttributes(RoutingRequest request, String method, boolean knownMethod) {
        HttpPrologue prologue = request.prologue();
        AttributesBuilder attributes = Attributes.builder()
                .put(HTTP_REQUEST_METHOD, knownMethod ? method : "_OTHER")
                .put(URL_PATH, prologue.uriPath().rawPath())
                .put(URL_SCHEME, request.isSecure() ? "https" : "http")
                .put(NETWORK_PROTOCOL_VERSION, prologue.protocolVersion());
        if (!knownMethod) {
            attributes.put(HTTP_REQUEST_METHOD_ORIGINAL, method);
        }
        try {
            UriInfo requested = request.requestedUri();   // from Host / forwarded headers, as the client saw it
            attributes.put(SERVER_ADDRESS, requested.host());
            attributes.put(SERVER_PORT, requested.port());
        } catch (RuntimeException malformedHost) {
            attributes.put(SERVER_PORT, request.localPeer().port());
        }
        request.headers().first(HeaderNames.USER_AGENT).ifPresent(agent -> attributes.put(USER_AGENT_ORIGINAL, agent));
        return attributes.build();
    }

    private static void finish(Span span, String methodName, RoutingRequest request, RoutingResponse response,
                               Throwable escaped) {
        try {
            Optional<String> route = request.matchingPattern().map(ServerSpanFilter::withoutTrailingSlash);
            if (route.isPresent()) {
                span.updateName(methodName + " " + route.get());
                span.setAttribute(HTTP_ROUTE, route.get());
            }
            int status = escaped == null ? response.status().code() : statusOf(escaped);
            span.setAttribute(HTTP_RESPONSE_STATUS_CODE, status);
            if (escaped != null && !isClientError(escaped)) {
                span.recordException(escaped);
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(ERROR_TYPE, escaped.getClass().getName());
            } else if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(ERROR_TYPE, request.context().get(FAILURE_KEY, Throwable.class)
                        .map(failure -> failure.getClass().getName())
                        .orElse(Integer.toString(status)));
            }
        } finally {
            span.end();
        }
    }

    /** Observe endpoints match as {@code /observe/health/}; the slash adds nothing to a span name. */
    private static String withoutTrailingSlash(String pattern) {
        return pattern.length() > 1 && pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
    }

    /** What Helidon will answer for an exception that left the filter chain. */
    private static int statusOf(Throwable escaped) {
        return escaped instanceof HttpException http ? http.status().code() : 500;
    }

    private static boolean isClientError(Throwable failure) {
        return failure instanceof HttpException http && http.status().code() < 500;
    }

    /** Reads propagation headers from Helidon's request headers (the W3C propagators only look keys up). */
    private enum RequestHeaders implements TextMapGetter<ServerRequestHeaders> {
        INSTANCE;

        @Override
        public String get(ServerRequestHeaders carrier, String key) {
            return carrier == null ? null : carrier.first(HeaderNames.create(key)).orElse(null);
        }
    }
}
