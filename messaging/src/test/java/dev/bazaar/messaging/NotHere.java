package dev.bazaar.messaging;

/** A test service's own "not found", which its error mapper answers with 404. */
final class NotHere extends RuntimeException {
    NotHere(String message) {
        super(message);
    }
}
