/**
 * The published message contract: request, reply and event records and each service's subject constants, shared by
 * producers and consumers. Their JSON (field names as the record components, {@code java.time} values as ISO-8601
 * strings, ids as UUID strings, money in minor units) is the contract for services in other languages.
 * Errors travel in the standard {@code Nats-Service-Error} / {@code Nats-Service-Error-Code} headers with HTTP-like
 * codes (400 invalid, 404 not found, 409 conflict, 413 too large, 500 internal, 503 unavailable). {@link Failure} is
 * that taxonomy as the one exception type domain code throws: it has no technical dependency, so a service's domain
 * package depends on nothing but this module.
 */
package dev.bazaar.contracts;
