package dev.bazaar.kit;

/** A started service: its HTTP port and the lifecycle that stops it. */
public record RunningApp(String name, int httpPort, Lifecycle lifecycle) implements AutoCloseable {
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}
