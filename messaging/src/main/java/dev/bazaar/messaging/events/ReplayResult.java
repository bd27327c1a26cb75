package dev.bazaar.messaging.events;

/**
 * The outcome of replaying a dead letter ({@link EventListener#reprocess(DeadLetter)}).
 *
 * @param sequence the dead letter's sequence in the dead-letter stream
 * @param replayed true when its consumer's handler processed it again successfully (it is then removed from the
 *                 dead-letter stream)
 * @param detail   what happened, for an operator (who processed it, or why it was kept: the exception class and
 *                 message, as a dead letter shows them)
 */
public record ReplayResult(long sequence, boolean replayed, String detail) {
}
