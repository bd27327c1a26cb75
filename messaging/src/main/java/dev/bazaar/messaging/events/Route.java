package dev.bazaar.messaging.events;

import dev.bazaar.messaging.JsonCodec;

/** One subject's handler and the record its payload decodes to. */
record Route<E>(String subject, Class<E> type, EventHandler<E> handler) {

    /** Decodes and handles; a payload that does not decode throws {@code MalformedMessageException} (poison). */
    void handle(JsonCodec codec, byte[] payload, EventContext context) throws Exception {
        handler.handle(codec.decode(payload, type), context);
    }
}
