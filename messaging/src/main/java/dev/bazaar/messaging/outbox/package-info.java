/**
 * The transactional outbox and the idempotent-consumer guard, on JDBI and PostgreSQL: {@link
 * dev.bazaar.messaging.outbox.Outbox} appends events in the caller's transaction, {@link
 * dev.bazaar.messaging.outbox.OutboxRelay} publishes them to JetStream after commit (at least once, stored once thanks
 * to {@code Nats-Msg-Id}), {@link dev.bazaar.messaging.outbox.ProcessedEvents} makes a consumer's effect happen once.
 * <p>
 * Tables come from the Flyway scripts in {@code classpath:db/messaging}, run with their own history table
 * {@code messaging_schema_history} before the service's own migrations.
 */
package dev.bazaar.messaging.outbox;
