package dev.bazaar.kit;

import dev.bazaar.contracts.Failure;
import io.helidon.common.uri.UriFragment;
import io.helidon.common.uri.UriPath;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.NotFoundException;
import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * What a service answers when no route took a request (Helidon 4.3 throws {@link NotFoundException}, which was a
 * 500): a path no route knows is a 404, a known path asked with another method a 405 with {@code Allow}, and
 * {@code OPTIONS} on a known path a 204 with {@code Allow}. Each is a problem+json body, logged at FINE only (a
 * scanner must not fill the logs) and, being a 4xx, never a server error in the HTTP metrics.
 * <p>
 * To know the methods of a path it records, while the service registers its routes, every {@link HttpRoute} under
 * its prefixes, and later asks those routes themselves whether they accept the path with each method: Helidon does
 * the path matching, so the answer cannot drift from the routing. Routes that features add (observe, openapi) are
 * not recorded; their unknown methods are 404s.
 * <p>
 * The same recording keeps each route as declared (method and path template, {@link #declared}): the service's route
 * table, which its OpenAPI document is checked against (Helidon 4.3 has no API that lists a routing's routes).
 */
final class RouteFallbacks {
    private static final Logger LOG = Logger.getLogger(RouteFallbacks.class.getName());
    private static final List<Method> PROBED = List.of(Method.GET, Method.HEAD, Method.POST, Method.PUT,
            Method.PATCH, Method.DELETE);

    private static final Map<String, Method> VERBS = Map.of("get", Method.GET, "post", Method.POST, "put", Method.PUT,
            "delete", Method.DELETE, "patch", Method.PATCH, "head", Method.HEAD, "options", Method.OPTIONS,
            "trace", Method.TRACE);

    private record Known(List<PathMatcher> prefixes, HttpRoute route) {
    }

    private final List<Known> routes = new CopyOnWriteArrayList<>();
    private final List<DeclaredRoute> declared = new CopyOnWriteArrayList<>();
    /** Nesting of HttpRules calls being recorded: only the outermost (the service's own call) is declared. */
    private int depth;

    /** A view of {@code routing} that registers everything on it and records each route on the way. */
    HttpRouting.Builder recording(HttpRouting.Builder routing) {
        HttpRules recorder = recorder(List.of(), "");
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(routing, args);
            }
            try {
                // The same call on HttpRules (its defaults build the HttpRoute) is what gets recorded.
                HttpRules.class.getMethod(method.getName(), method.getParameterTypes()).invoke(recorder, args);
            } catch (NoSuchMethodException notARule) {
                // addFilter, error, security...: nothing to record
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            Object result;
            try {
                result = method.invoke(routing, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return result == routing ? proxy : result;
        };
        return (HttpRouting.Builder) Proxy.newProxyInstance(RouteFallbacks.class.getClassLoader(),
                new Class<?>[]{HttpRouting.Builder.class}, handler);
    }

    /**
     * Rules that only record: route(HttpRoute) is kept, register(...) descends into the services, and a call naming a
     * method and a path ({@code get("/{id}", ...)}) is declared under {@code prefix}.
     */
    private HttpRules recorder(List<PathMatcher> prefixes, String prefix) {
        return (HttpRules) Proxy.newProxyInstance(RouteFallbacks.class.getClassLoader(),
                new Class<?>[]{HttpRules.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "recording rules " + prefixes;
                        };
                    }
                    depth++;
                    try {
                        if (depth == 1) {
                            declare(prefix, method.getName(), args);
                        }
                        if (method.isDefault()) {
                            return InvocationHandler.invokeDefault(proxy, method, args);
                        }
                    } finally {
                        depth--;
                    }
                    switch (method.getName()) {
                        case "route" -> routes.add(new Known(prefixes, (HttpRoute) args[0]));
                        case "register" -> register(prefixes, prefix, args);
                        default -> throw new IllegalStateException("cannot record " + method);
                    }
                    return proxy;
                });
    }

    /**
     * Declares the route a rules call adds: {@code get(path, ...)} and the other verbs, {@code any(path, ...)} (every
     * method), {@code route(Method, path, ...)}. A route added otherwise (a bare HttpRoute or PathMatcher) has no
     * template to read: it is declared with a {@code null} method and its description, so that a route table check
     * fails on it instead of missing it.
     */
    private void declare(String prefix, String name, Object[] args) {
        Object first = args == null || args.length == 0 ? null : args[0];
        String path = first instanceof String text ? text : "";
        if (VERBS.containsKey(name)) {
            declared.add(DeclaredRoute.of(VERBS.get(name).text(), prefix + path));
        } else if (name.equals("any")) {
            declared.add(DeclaredRoute.of("*", prefix + path));
        } else if (name.equals("route")) {
            if (first instanceof Method verb && args[1] instanceof String template) {
                declared.add(DeclaredRoute.of(verb.text(), prefix + template));
            } else {
                declared.add(new DeclaredRoute(null, prefix + " " + first));
            }
        }
    }

    private void register(List<PathMatcher> prefixes, String prefix, Object[] args) {
        List<PathMatcher> under = prefixes;
        String underPath = prefix;
        Object services = args[args.length - 1];
        if (args.length == 2) {
            under = new ArrayList<>(prefixes);
            under.add(PathMatchers.create((String) args[0]));
            underPath = prefix + args[0];
        }
        HttpRules rules = recorder(List.copyOf(under), underPath);
        for (HttpService service : (HttpService[]) services) {
            service.routing(rules);
        }
    }

    /** The routes as the service declared them, in registration order. */
    List<DeclaredRoute> declared() {
        return List.copyOf(declared);
    }

    /** The methods some recorded route accepts for {@code path}, in a stable order; empty for an unknown path. */
    Set<Method> allowed(UriPath path) {
        Set<Method> allowed = new LinkedHashSet<>();
        for (Method method : PROBED) {
            // HEAD is routed as a GET, see headAsGet
            Method routed = method == Method.HEAD ? Method.GET : method;
            if (routes.stream().anyMatch(known -> accepts(known, routed, path))) {
                allowed.add(method);
            }
        }
        if (!allowed.isEmpty()) {
            allowed.add(Method.OPTIONS);
        }
        return allowed;
    }

    private static boolean accepts(Known known, Method method, UriPath path) {
        UriPath rest = path;
        for (PathMatcher prefix : known.prefixes()) {
            PathMatchers.PrefixMatchResult match = prefix.prefixMatch(rest);
            if (!match.accepted()) {
                return false;
            }
            rest = match.unmatchedPath();
        }
        HttpPrologue probe = HttpPrologue.create("HTTP/1.1", "HTTP", "1.1", method, rest, UriQuery.empty(),
                UriFragment.empty());
        return known.route().accepts(probe).accepted();
    }

    /** What {@link #headAsGet} leaves in the context of a request it routes as a GET: it was asked as a HEAD. */
    private record AskedAsHead() {
    }

    /** True when {@code req} was asked as a HEAD and is routed as a GET by {@link #headAsGet}. */
    static boolean askedAsHead(ServerRequest req) {
        return req.context().get(AskedAsHead.class).isPresent();
    }

    /**
     * Helidon 4.3 routes HEAD only to HEAD routes: this filter routes it as a GET and drops the body, so that a HEAD
     * gets the GET's status and headers (Content-Length included). It runs before routing; the HTTP metrics count
     * such a request as a GET. A handler that would not end by itself (a live stream) asks {@link
     * Requests#isHead} and answers the headers only.
     */
    static void headAsGet(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        HttpPrologue prologue = req.prologue();
        if (prologue.method() == Method.HEAD) {
            req.context().register(new AskedAsHead());
            req.prologue(HttpPrologue.create(prologue.rawProtocol(), prologue.protocol(), prologue.protocolVersion(),
                    Method.GET, prologue.uriPath(), prologue.query(), prologue.fragment()));
            res.streamFilter(out -> OutputStream.nullOutputStream());
        }
        chain.proceed();
    }

    /**
     * The error handler for the {@link NotFoundException} routing throws when no route took the request. Routing runs
     * inside the filters, so the metrics filter sees the status sent here.
     */
    void handle(ServerRequest req, ServerResponse res, NotFoundException unrouted) {
        answer(req, res);
    }

    private void answer(ServerRequest req, ServerResponse res) {
        Method method = req.prologue().method();
        String path = req.path().absolute().path();
        Set<Method> allowed = allowed(req.path().absolute());
        LOG.log(Level.FINE, () -> "no route for " + method.text() + " " + path + "; allowed " + allowed);
        if (allowed.isEmpty()) {
            Problems.send(req, res, Failure.Kind.NOT_FOUND, "no resource at this path");
            return;
        }
        String allow = allowed.stream().map(Method::text).collect(Collectors.joining(", "));
        res.header(HeaderNames.ALLOW, allow);
        if (method == Method.OPTIONS) {
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        Problems.send(req, res, Failure.Kind.METHOD_NOT_ALLOWED, method.text() + " is not allowed here; allowed: "
                + allow);
    }
}
