package dev.bazaar.kit;

import java.util.Map;

/** A started service: its HTTP port, the ports of its other listeners by name, and the lifecycle that stops it. */
public record RunningApp(String name, int httpPort, Lifecycle lifecycle, Map<String, Integer> otherPorts)
        implements AutoCloseable {
    public RunningApp {
        otherPorts = Map.copyOf(otherPorts);
    }

    public RunningApp(String name, int httpPort, Lifecycle lifecycle) {
        this(name, httpPort, lifecycle, Map.of());
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
