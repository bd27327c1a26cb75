/**
 * The service kit: the capability factories every service's {@code Main} calls — configuration, the database
 * (pool, Flyway, traced JDBI), the NATS settings, the webserver with health, JSON and problem details, and the one
 * shutdown order. Nothing shop-specific lives here.
 */
package dev.bazaar.kit;
