package dev.bazaar.kit;

import io.helidon.http.HttpException;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Times every HTTP request into {@code http.server.requests} (Prometheus: {@code http_server_requests_seconds_*})
 * tagged by service, method, route template, status and outcome. The route template is only known after the router
 * ran, i.e. after {@code proceed()}; a request no route matched is {@code route="UNMATCHED"}, so that scanners
 * cannot blow up the number of series.
 */
final class HttpMetricsFilter implements Filter {
    static final String NAME = "http.server.requests";
    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private final ServiceMetrics metrics;

    HttpMetricsFilter(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        long started = System.nanoTime();
        int status = 500;
        try {
            chain.proceed();
            status = response.status().code();
        } catch (HttpException e) {
            status = e.status().code();
            throw e;
        } finally {
            String method = request.prologue().method().text();
            String route = request.matchingPattern().map(HttpMetricsFilter::withoutTrailingSlash).orElse("UNMATCHED");
            timer(KNOWN_METHODS.contains(method) ? method : "_OTHER", route, status)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String method, String route, int status) {
        return metrics.timer(NAME, "HTTP requests served, by route template and status", Tag.create("method", method),
                Tag.create("route", route), Tag.create("status", Integer.toString(status)),
                Tag.create("outcome", outcome(status)));
    }

    static String outcome(int status) {
        if (status >= 500) {
            return "SERVER_ERROR";
        }
        if (status >= 400) {
            return "CLIENT_ERROR";
        }
        return status >= 300 ? "REDIRECTION" : "SUCCESS";
    }

    private static String withoutTrailingSlash(String pattern) {
        return pattern.length() > 1 && pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
    }
}
