/**
 * JetStream events: streams declared in code ({@link dev.bazaar.messaging.events.Streams}), publishing with the event
 * id as {@code Nats-Msg-Id} ({@link dev.bazaar.messaging.events.EventPublisher}), durable pull consumers that decode,
 * trace, retry with backoff and dead-letter ({@link dev.bazaar.messaging.events.EventListener}), and the dead-letter
 * stream an operator inspects and replays ({@link dev.bazaar.messaging.events.DeadLetters}).
 * <p>
 * Traces: a publish is a PRODUCER span {@code send <subject>} whose context travels in the headers; each delivery is a
 * CONSUMER span {@code process <subject>}, child of that context and linked to it; dead-lettering and replaying are
 * PRODUCER spans linked to the original trace.
 * <p>
 * Failures surface as unchecked {@link dev.bazaar.messaging.MessagingException}s; checked jnats exceptions never
 * escape, and interruption restores the flag.
 */
package dev.bazaar.messaging.events;
