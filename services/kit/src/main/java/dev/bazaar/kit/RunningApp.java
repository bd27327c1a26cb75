package dev.bazaar.kit;

import io.helidon.webserver.WebServer;

import java.util.List;
import java.util.Map;

/**
 * A started service: its HTTP port, the routes it serves there ({@link HttpServers#routes}), the ports of its other
 * listeners by name, and the lifecycle that stops it.
 */
public record RunningApp(String name, int httpPort, List<DeclaredRoute> routes, Lifecycle lifecycle,
                         Map<String, Integer> otherPorts) implements AutoCloseable {
    public RunningApp {
        routes = List.copyOf(routes);
        otherPorts = Map.copyOf(otherPorts);
    }

    /** The service {@code name} serving HTTP on {@code web} (started by {@link HttpServers#start}). */
    public RunningApp(String name, WebServer web, Lifecycle lifecycle) {
        this(name, web, lifecycle, Map.of());
    }

    public RunningApp(String name, WebServer web, Lifecycle lifecycle, Map<String, Integer> otherPorts) {
        this(name, web.port(), HttpServers.routes(web), lifecycle, otherPorts);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The port of the listener named {@code socket} (e.g. catalog's {@code grpc}). */
    public int port(String socket) {
        Integer port = otherPorts.get(socket);
        if (port == null) {
            throw new IllegalArgumentException(name + " has no listener " + socket);
        }
        return port;
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}
