package dev.bazaar.notifications;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * Notifications' own settings under {@code notifications} (defaults in application.yaml): {@code sse.keep-alive}, how long a live stream may
 * stay silent before a keep-alive is sent (proxies cut idle connections; it is also when a departed client is
 * noticed), and {@code sse.buffer}, how many notifications a slow live client may lag before it is cut off.
 */
public record NotificationsSettings(Duration keepAlive, int streamBuffer) {
    public NotificationsSettings {
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("notifications.sse.keep-alive must be positive");
        }
        if (streamBuffer < 1 || streamBuffer > 100_000) {
            throw new IllegalArgumentException("notifications.sse.buffer must be 1..100000");
        }
    }

    public static NotificationsSettings from(Config notifications) {
        return new NotificationsSettings(
                notifications.get("sse.keep-alive").as(Duration.class).get(),
                notifications.get("sse.buffer").asInt().get());
    }
}
