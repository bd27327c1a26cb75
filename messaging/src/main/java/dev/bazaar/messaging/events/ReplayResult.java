package dev.bazaar.messaging.events;

/**
 * The outcome of replaying a dead letter.
 *
 * @param sequence the dead letter's sequence in the dead-letter stream
 * @param replayed true when it went back to its original subject and was removed from the dead-letter stream
 * @param detail   what happened, for an operator (where it went, or why it was kept)
 */
public record ReplayResult(long sequence, boolean replayed, String detail) {
}
