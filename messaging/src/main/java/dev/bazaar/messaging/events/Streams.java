package dev.bazaar.messaging.events;

import dev.bazaar.messaging.MessagingException;
import dev.bazaar.messaging.NatsMessaging;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;

import java.util.HashSet;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Streams as code: each publishing service {@link #ensure}s its stream at start-up. Limits retention (consumers do not
 * remove messages, so several services can consume one stream) and discard policy {@code new} (a full stream refuses
 * a publish, which the outbox retries, rather than silently dropping old events).
 */
public final class Streams {
    private static final Logger LOG = Logger.getLogger(Streams.class.getName());

    private Streams() {
    }

    /**
     * Creates the stream, or updates it when its subjects, storage limits, replicas or policies differ from the
     * declaration; does nothing when they match. Safe to call from several instances at once.
     *
     * @throws MessagingException if JetStream refuses (e.g. a subject overlaps another stream, or the change is one
     *                            JetStream cannot make in place, such as file to memory storage)
     */
    public static void ensure(NatsMessaging nats, StreamSpec spec, StreamSettings settings) {
        Objects.requireNonNull(nats, "nats");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(settings, "settings");
        JetStreamManagement jsm = JetStreamCall.run("JetStream management", () -> nats.connection().jetStreamManagement());
        StreamConfiguration existing = current(jsm, spec.name());
        if (existing == null) {
            try {
                JetStreamCall.run("create stream " + spec.name(), () -> jsm.addStream(declared(spec, settings)));
                LOG.info(() -> "stream " + spec.name() + " created on " + spec.subjects());
                return;
            } catch (JetStreamCall.Failed e) {
                if (e.apiCode() != JetStreamCall.STREAM_NAME_IN_USE) {
                    throw e;
                }
                existing = current(jsm, spec.name()); // another instance won the race: compare with its config
            }
        }
        if (matches(existing, spec, settings)) {
            return;
        }
        StreamConfiguration update = withDeclared(StreamConfiguration.builder(existing), spec, settings).build();
        JetStreamCall.run("update stream " + spec.name(), () -> jsm.updateStream(update));
        LOG.info(() -> "stream " + spec.name() + " updated to " + spec.subjects() + ", " + settings);
    }

    private static StreamConfiguration current(JetStreamManagement jsm, String name) {
        try {
            return JetStreamCall.run("read stream " + name, () -> jsm.getStreamInfo(name)).getConfiguration();
        } catch (JetStreamCall.Failed e) {
            if (e.apiCode() == JetStreamCall.STREAM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    static StreamConfiguration declared(StreamSpec spec, StreamSettings settings) {
        return withDeclared(StreamConfiguration.builder(), spec, settings).build();
    }

    private static StreamConfiguration.Builder withDeclared(StreamConfiguration.Builder builder, StreamSpec spec,
                                                            StreamSettings settings) {
        return builder.name(spec.name())
                .subjects(spec.subjects())
                .storageType(settings.storage())
                .replicas(settings.replicas())
                .maxAge(settings.maxAge())
                .duplicateWindow(settings.duplicateWindow())
                .retentionPolicy(RetentionPolicy.Limits)
                .discardPolicy(DiscardPolicy.New);
    }

    private static boolean matches(StreamConfiguration existing, StreamSpec spec, StreamSettings settings) {
        return new HashSet<>(existing.getSubjects()).equals(new HashSet<>(spec.subjects()))
                && existing.getStorageType() == settings.storage()
                && existing.getReplicas() == settings.replicas()
                && settings.maxAge().equals(existing.getMaxAge())
                && settings.duplicateWindow().equals(existing.getDuplicateWindow())
                && existing.getRetentionPolicy() == RetentionPolicy.Limits
                && existing.getDiscardPolicy() == DiscardPolicy.New;
    }
}
