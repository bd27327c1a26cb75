package dev.bazaar.notifications.http;

import dev.bazaar.contracts.Failure;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.Pages;
import dev.bazaar.kit.Requests;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.notifications.LiveFeed;
import dev.bazaar.notifications.Notification;
import dev.bazaar.notifications.NotificationService;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code /notifications}: a customer's notifications, as a list and as a live server-sent-event stream. */
public final class NotificationRoutes implements HttpService {
    private static final Logger LOG = Logger.getLogger(NotificationRoutes.class.getName());
    /*
     * Helidon 4.3.0 cannot emit a comment-only event (helidon#11834: it serialises the NO_DATA sentinel), so the
     * keep-alive also carries an empty data line under its own event name, which EventSource clients listening for
     * "notification" ignore. Once on a Helidon with the fix, drop name and data to send a bare comment.
     */
    private static final SseEvent KEEP_ALIVE = SseEvent.builder().comment("keep-alive").name("keep-alive").data("")
            .build();

    private static final HeaderName X_ACCEL_BUFFERING = HeaderNames.create("X-Accel-Buffering");

    private final NotificationService notifications;
    private final LiveFeed feed;
    private final Duration keepAlive;
    private final CallerCustomer customer;

    public NotificationRoutes(NotificationService notifications, LiveFeed feed, Duration keepAlive,
                              CallerCustomer customer) {
        this.notifications = notifications;
        this.feed = feed;
        this.keepAlive = keepAlive;
        this.customer = customer;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", HttpSecurity.authenticated(), this::list)
                .get("/stream", HttpSecurity.authenticated(), this::stream);
    }

    private void list(ServerRequest req, ServerResponse res) {
        int limit = Pages.limit(req);
        Optional<Pages.TimeKey> after = Pages.timeCursor(req);
        Pages.Page<Notification> page = Pages.Page.of(notifications.recent(customer.of(req),
                        after.map(Pages.TimeKey::at).orElse(null), after.map(Pages.TimeKey::id).orElse(null), limit + 1),
                limit, n -> Pages.cursor(new Pages.TimeKey(n.createdAt(), n.id())));
        res.send(new NotificationPage(page.items().stream().map(NotificationBody::of).toList(), page.next()));
    }

    private void stream(ServerRequest req, ServerResponse res) {
        String customerId = NotificationService.checkedCustomer(customer.of(req));
        if (!req.headers().isAccepted(MediaTypes.TEXT_EVENT_STREAM)) {
            throw Failure.invalid("this route answers text/event-stream only: send Accept: text/event-stream");
        }
        res.header(X_ACCEL_BUFFERING, "no"); // nginx: pass events through unbuffered
        if (Requests.isHead(req)) { // the headers of the stream, and no stream: it would never end
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            res.headers().contentType(MediaTypes.TEXT_EVENT_STREAM);
            res.send();
            return;
        }
        try (LiveFeed.Subscription subscription = feed.subscribe(customerId)) {
            SseSink sink = res.sink(SseSink.TYPE); // sends the status line and headers at once
            try {
                String why = LiveStream.run(subscription, new SseClient(sink), keepAlive);
                LOG.fine(() -> "live stream ended: " + why);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close(sink);
            }
        }
    }

    private static void close(SseSink sink) {
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "closing a live stream whose client had gone", e);
        }
    }

    /** A live client over server-sent events: {@code id:} notification id, {@code event:notification}, JSON data. */
    private record SseClient(SseSink sink) implements LiveStream.Client {
        @Override
        public void send(Notification notification) {
            String json = new String(Json.codec().encode(NotificationBody.of(notification)), StandardCharsets.UTF_8);
            sink.emit(SseEvent.builder().id(notification.id().toString()).name("notification").data(json).build());
        }

        @Override
        public void keepAlive() {
            sink.emit(KEEP_ALIVE);
        }
    }
}
