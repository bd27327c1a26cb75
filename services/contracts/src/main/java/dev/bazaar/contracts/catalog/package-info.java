/** Catalog's NATS contract: subjects and messages. */
package dev.bazaar.contracts.catalog;
