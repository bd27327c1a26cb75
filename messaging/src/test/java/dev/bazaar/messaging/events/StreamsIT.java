package dev.bazaar.messaging.events;

import dev.bazaar.messaging.Fixtures;
import dev.bazaar.messaging.JsonCodec;
import dev.bazaar.messaging.MessagingException;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.testing.TestNatsServer;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsIT {
    private static TestNatsServer server;
    private static NatsMessaging nats;
    private static JetStreamManagement jsm;

    @BeforeAll
    static void start() throws Exception {
        server = TestNatsServer.start();
        nats = NatsMessaging.connect(Fixtures.settings(server, "streams-it"), OpenTelemetry.noop(), JsonCodec.standard());
        jsm = nats.connection().jetStreamManagement();
    }

    @AfterAll
    static void stop() {
        nats.close();
        server.close();
    }

    @Test
    void createsTheStreamAsDeclared() throws Exception {
        String name = unique("ORDERS");
        StreamSettings settings = new StreamSettings(StorageType.File, 1, Duration.ofHours(1), Duration.ofSeconds(30));

        Streams.ensure(nats, new StreamSpec(name, List.of(name.toLowerCase() + ".events.>")), settings);

        StreamConfiguration config = jsm.getStreamInfo(name).getConfiguration();
        assertThat(config.getSubjects()).containsExactly(name.toLowerCase() + ".events.>");
        assertThat(config.getStorageType()).isEqualTo(StorageType.File);
        assertThat(config.getReplicas()).isEqualTo(1);
        assertThat(config.getMaxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(config.getDuplicateWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.getDiscardPolicy()).isEqualTo(DiscardPolicy.New);
        assertThat(config.getRetentionPolicy()).isEqualTo(RetentionPolicy.Limits);
    }

    @Test
    void ensuringTwiceChangesNothing() throws Exception {
        String name = unique("TWICE");
        StreamSpec spec = new StreamSpec(name, List.of(name.toLowerCase() + ".events.>"));
        Streams.ensure(nats, spec, StreamSettings.local());
        nats.connection().jetStream().publish(name.toLowerCase() + ".events.x", new byte[]{'1'});
        StreamInfo before = jsm.getStreamInfo(name);

        Streams.ensure(nats, spec, StreamSettings.local());

        StreamInfo after = jsm.getStreamInfo(name);
        assertThat(after.getConfiguration().toJson()).isEqualTo(before.getConfiguration().toJson());
        assertThat(after.getCreateTime()).isEqualTo(before.getCreateTime());
        assertThat(after.getStreamState().getMsgCount()).isEqualTo(1);
    }

    @Test
    void aChangedDeclarationUpdatesTheStreamAndKeepsItsMessages() throws Exception {
        String name = unique("CHANGING");
        String subject = name.toLowerCase() + ".events.>";
        Streams.ensure(nats, new StreamSpec(name, List.of(subject)), StreamSettings.local());
        nats.connection().jetStream().publish(name.toLowerCase() + ".events.x", new byte[]{'1'});

        String added = name.toLowerCase() + ".more.>";
        StreamSettings longer = new StreamSettings(StorageType.File, 1, Duration.ofDays(30), Duration.ofMinutes(5));
        Streams.ensure(nats, new StreamSpec(name, List.of(subject, added)), longer);

        StreamInfo info = jsm.getStreamInfo(name);
        assertThat(info.getConfiguration().getSubjects()).containsExactlyInAnyOrder(subject, added);
        assertThat(info.getConfiguration().getMaxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(info.getConfiguration().getDuplicateWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(info.getConfiguration().getDiscardPolicy()).isEqualTo(DiscardPolicy.New);
        assertThat(info.getStreamState().getMsgCount()).isEqualTo(1);
    }

    @Test
    void aChangeJetStreamCannotMakeIsReported() {
        String name = unique("STORAGE");
        StreamSpec spec = new StreamSpec(name, List.of(name.toLowerCase() + ".events.>"));
        Streams.ensure(nats, spec, StreamSettings.local());
        StreamSettings memory = new StreamSettings(StorageType.Memory, 1, Duration.ofDays(7), Duration.ofMinutes(2));

        assertThatThrownBy(() -> Streams.ensure(nats, spec, memory))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining(name);
    }

    @Test
    void overlappingSubjectsAreRefused() {
        String first = unique("FIRST");
        String subject = first.toLowerCase() + ".events.>";
        Streams.ensure(nats, new StreamSpec(first, List.of(subject)), StreamSettings.local());

        assertThatThrownBy(() -> Streams.ensure(nats, new StreamSpec(unique("SECOND"), List.of(subject)),
                StreamSettings.local()))
                .isInstanceOf(MessagingException.class);
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new StreamSettings(StorageType.File, 1, Duration.ofMinutes(1), Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamSpec("A.B", List.of("a.>"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(StreamSettings.local())
                .isEqualTo(new StreamSettings(StorageType.File, 1, Duration.ofDays(7), Duration.ofMinutes(2)));
    }

    static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }
}
