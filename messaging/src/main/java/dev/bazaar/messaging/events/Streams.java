package dev.bazaar.messaging.events;

import dev.bazaar.messaging.MessagingException;
import dev.bazaar.messaging.NatsMessaging;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StreamConfiguration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Streams as code: each publishing service {@link #ensure}s its stream at start-up. Limits retention (consumers do not
 * remove messages, so several services can consume one stream) and discard policy {@code new} (a full stream refuses
 * a publish, which the outbox retries, rather than silently dropping old events). A stream declared here and later
 * lost (deleted, or a server back with an empty store) is created again after a reconnect and when a publish finds
 * it missing ({@link #recreateMissing}).
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
        declare(nats, spec, settings);
        nats.declarations().stream(spec);
        ensureNow(nats, spec, settings);
    }

    /**
     * Ensures again every stream {@link #ensure}d on this connection, and returns the names of those it had to
     * create: JetStream lost them (stream deleted, store wiped). Also run after every reconnect, since a server
     * that restarted may have come back with an empty store. Failures are logged; the next call tries again.
     */
    public static List<String> recreateMissing(NatsMessaging nats) {
        Map<String, Declared> declared = DECLARED.get(nats);
        if (declared == null) {
            return List.of();
        }
        List<String> created = new ArrayList<>();
        for (Declared stream : declared.values()) {
            try {
                if (ensureNow(nats, stream.spec(), stream.settings())) {
                    created.add(stream.spec().name());
                    LOG.warning(() -> "stream " + stream.spec().name() + " was missing (deleted, or JetStream lost "
                            + "its store): created again; the outbox republishes what it had stored");
                }
            } catch (MessagingException e) {
                LOG.log(Level.FINE, "stream " + stream.spec().name() + " could not be checked", e);
            }
        }
        return created;
    }

    /**
     * True if a stream {@link #ensure}d on this connection captures {@code subject}: a publish to it that finds no
     * stream means the stream is unavailable for now (a cluster electing its leader, a lost store being created
     * again), not that the subject has none.
     */
    public static boolean isDeclaredFor(NatsMessaging nats, String subject) {
        Map<String, Declared> declared = DECLARED.get(nats);
        return declared != null && declared.values().stream()
                .anyMatch(stream -> stream.spec().subjects().stream().anyMatch(filter -> captures(filter, subject)));
    }

    /** NATS subject matching: {@code *} is one token, a final {@code >} one or more. */
    static boolean captures(String filter, String subject) {
        String[] want = filter.split("\\.", -1);
        String[] have = subject.split("\\.", -1);
        for (int i = 0; i < want.length; i++) {
            if (want[i].equals(">") && i == want.length - 1) {
                return have.length > i;
            }
            if (i >= have.length || !(want[i].equals("*") || want[i].equals(have[i]))) {
                return false;
            }
        }
        return want.length == have.length;
    }

    private record Declared(StreamSpec spec, StreamSettings settings) {
    }

    /** The streams each connection declared, to create them again when lost; weak, so closed connections go. */
    private static final Map<NatsMessaging, Map<String, Declared>> DECLARED =
            Collections.synchronizedMap(new WeakHashMap<>());

    private static void declare(NatsMessaging nats, StreamSpec spec, StreamSettings settings) {
        DECLARED.computeIfAbsent(nats, connection -> {
            connection.events().onReconnected(() ->
                    Thread.ofVirtual().name("streams-after-reconnect").start(() -> recreateMissing(connection)));
            return new ConcurrentHashMap<>();
        }).put(spec.name(), new Declared(spec, settings));
    }

    /** True if it created the stream. */
    private static boolean ensureNow(NatsMessaging nats, StreamSpec spec, StreamSettings settings) {
        JetStreamManagement jsm = JetStreamCall.run("JetStream management", () -> nats.connection().jetStreamManagement());
        StreamConfiguration existing = current(jsm, spec.name());
        if (existing == null) {
            try {
                JetStreamCall.run("create stream " + spec.name(), () -> jsm.addStream(declared(spec, settings)));
                LOG.info(() -> "stream " + spec.name() + " created on " + spec.subjects());
                return true;
            } catch (JetStreamCall.Failed e) {
                if (e.apiCode() != JetStreamCall.STREAM_NAME_IN_USE) {
                    throw e;
                }
                existing = current(jsm, spec.name()); // another instance won the race: compare with its config
            }
        }
        if (matches(existing, spec, settings)) {
            return false;
        }
        StreamConfiguration update = withDeclared(StreamConfiguration.builder(existing), spec, settings).build();
        JetStreamCall.run("update stream " + spec.name(), () -> jsm.updateStream(update));
        LOG.info(() -> "stream " + spec.name() + " updated to " + spec.subjects() + ", " + settings);
        return false;
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
