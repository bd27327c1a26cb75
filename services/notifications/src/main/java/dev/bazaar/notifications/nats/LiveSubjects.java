package dev.bazaar.notifications.nats;

import dev.bazaar.messaging.asyncapi.Declarations;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The core NATS subjects of live notifications: {@code notifications.live.<customer>}. No stream captures them (a
 * live push missed is found in the list), and every instance subscribes to all of them without a queue group.
 * <p>
 * The customer is in the subject, against the rule that ids go in payloads, so that NATS permissions can confine a
 * subscriber to one customer's subject; span names use {@link #TEMPLATE}. Receivers route by the payload's
 * {@code customerId}, never by the subject.
 */
public final class LiveSubjects {
    /** Every live subject: what each instance subscribes to. */
    public static final String ALL = "notifications.live.>";
    /** The subject shape, for span names and attributes. */
    public static final String TEMPLATE = "notifications.live.{customerId}";
    /** The channel, as the AsyncAPI document names it: published and subscribed to by every instance. */
    static final Declarations.Publication CHANNEL = new Declarations.Publication(TEMPLATE, LiveNotification.class,
            null, "a notification just stored, pushed to every instance's SSE clients of that customer (never stored)",
            Map.of("customerId", "the customer's id, or ~ and its base64url when it is not a plain token"));
    private static final String PREFIX = "notifications.live.";
    private static final Pattern SAFE_TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private LiveSubjects() {
    }

    /**
     * The subject of one customer's notifications. An id that is not a plain token (dots, wildcards, spaces, …) is
     * written as {@code ~} + its unpadded base64url, which no plain id can collide with.
     */
    public static String of(String customerId) {
        if (SAFE_TOKEN.matcher(customerId).matches()) {
            return PREFIX + customerId;
        }
        return PREFIX + "~" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(customerId.getBytes(StandardCharsets.UTF_8));
    }
}
