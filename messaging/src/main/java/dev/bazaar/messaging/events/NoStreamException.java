package dev.bazaar.messaging.events;

/**
 * No stream captures the subject published to: the stream was never created, or it was deleted or lost with its
 * store. {@link Streams#recreateMissing} creates again the streams this connection declared.
 */
public final class NoStreamException extends PublishRefusedException {
    public NoStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
