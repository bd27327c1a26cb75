package dev.bazaar.notifications.http;

import java.util.List;

/** The body of {@code GET /notifications}: newest first. */
public record NotificationPage(List<NotificationBody> notifications, int limit) {
}
