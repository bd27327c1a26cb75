package dev.bazaar.kit;

import dev.bazaar.messaging.JsonCodec;

/** The JSON configuration every service uses, for HTTP bodies and NATS payloads alike. */
public final class Json {
    private static final JsonCodec CODEC = JsonCodec.standard();

    private Json() {
    }

    public static JsonCodec codec() {
        return CODEC;
    }
}
