package dev.bazaar.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server-sent-events client as a browser's EventSource behaves: HTTP/1.1, {@code Accept: text/event-stream}, the
 * body read line by line on a virtual thread and parsed into events (comments kept, for keep-alive checks).
 */
public final class SseTestClient implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One dispatched event: its fields, and the comment lines that came with it. */
    public record Event(String id, String name, String data, List<String> comments) {
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseTestClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().name("sse-test-client").start(this::read);
    }

    /** Connects; returns once the response headers arrived (the server has subscribed by then). */
    public static SseTestClient open(String url, String token) {
        try {
            return new SseTestClient(CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<Stream<String>> response() {
        return response;
    }

    /** The next event of any kind, or an assertion failure after {@code timeout}. */
    public Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no server-sent event within " + timeout);
        }
        return event;
    }

    /** The next event named {@code name}, skipping others (keep-alives). */
    public Event nextNamed(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (name.equals(event.name())) {
                return event;
            }
        }
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        List<String> comments = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    events.add(new Event(id, name, data == null ? null : data.toString(), List.copyOf(comments)));
                    id = null;
                    name = null;
                    data = null;
                    comments.clear();
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
        } catch (RuntimeException e) {
            // closed by close(), or by the server
        }
    }

    /** Disconnects, as a browser tab that is closed. */
    @Override
    public void close() throws InterruptedException {
        response.body().close();
        reader.join(Duration.ofSeconds(5));
    }
}
