/** Orders' NATS contract: subjects and messages. */
package dev.bazaar.contracts.orders;
