/** Payments' NATS contract: event subjects and payloads. */
package dev.bazaar.contracts.payments;
