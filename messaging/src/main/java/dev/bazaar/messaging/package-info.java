/**
 * Everything NATS and nothing about the shop: the connection of one service instance ({@link
 * dev.bazaar.messaging.NatsMessaging}), one shared JSON configuration ({@link dev.bazaar.messaging.JsonCodec}), typed
 * request-reply ({@link dev.bazaar.messaging.RequestClient}), endpoints on the NATS Service API ({@link
 * dev.bazaar.messaging.ServiceEndpoints}) and W3C trace context carried in NATS headers ({@link
 * dev.bazaar.messaging.NatsHeadersCarrier}), with the span conventions in one place ({@link
 * dev.bazaar.messaging.MessagingTelemetry}). JetStream events (streams, publisher, durable listeners, dead letters)
 * live in {@code dev.bazaar.messaging.events}; the transactional outbox and the idempotent-consumer guard, on JDBI, in
 * {@code dev.bazaar.messaging.outbox}.
 * <p>
 * Every failure surfaces as an unchecked {@link dev.bazaar.messaging.MessagingException} subtype; checked jnats and
 * interruption exceptions never escape (the interrupt flag is restored).
 */
package dev.bazaar.messaging;
