/**
 * Test fixtures for every module (test scope only): a real nats-server on a free port with its own JetStream
 * store, a throwaway PostgreSQL database, and condition waits instead of sleeps.
 */
package dev.bazaar.testing;
