package dev.bazaar.notifications.http;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The body of {@code GET /notifications}: newest first; {@code next} (absent on the last page) is the next page's cursor. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NotificationPage(List<NotificationBody> notifications, String next) {
}
