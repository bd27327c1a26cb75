package dev.bazaar.messaging.events;

import dev.bazaar.messaging.MessagingException;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.bazaar.messaging.events.JetStreamFixture.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsIT {
    private static JetStreamFixture fixture;

    @BeforeAll
    static void start() {
        fixture = JetStreamFixture.start("streams-it");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void createsTheStreamAsDeclared() throws Exception {
        String name = unique("ORDERS");
        StreamSettings settings = new StreamSettings(StorageType.File, 1, Duration.ofHours(1), Duration.ofSeconds(30));

        Streams.ensure(fixture.nats(), new StreamSpec(name, List.of(name.toLowerCase() + ".events.>")), settings);

        StreamConfiguration config = fixture.jsm().getStreamInfo(name).getConfiguration();
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
        Streams.ensure(fixture.nats(), spec, StreamSettings.local());
        fixture.nats().connection().jetStream().publish(name.toLowerCase() + ".events.x", new byte[]{'1'});
        StreamInfo before = fixture.jsm().getStreamInfo(name);

        Streams.ensure(fixture.nats(), spec, StreamSettings.local());

        StreamInfo after = fixture.jsm().getStreamInfo(name);
        assertThat(after.getConfiguration().toJson()).isEqualTo(before.getConfiguration().toJson());
        assertThat(after.getCreateTime()).isEqualTo(before.getCreateTime());
        assertThat(after.getStreamState().getMsgCount()).isEqualTo(1);
    }

    @Test
    void aChangedDeclarationUpdatesTheStreamAndKeepsItsMessages() throws Exception {
        String name = unique("CHANGING");
        String subject = name.toLowerCase() + ".events.>";
        Streams.ensure(fixture.nats(), new StreamSpec(name, List.of(subject)), StreamSettings.local());
        fixture.nats().connection().jetStream().publish(name.toLowerCase() + ".events.x", new byte[]{'1'});

        String added = name.toLowerCase() + ".more.>";
        StreamSettings longer = new StreamSettings(StorageType.File, 1, Duration.ofDays(30), Duration.ofMinutes(5));
        Streams.ensure(fixture.nats(), new StreamSpec(name, List.of(subject, added)), longer);

        StreamInfo info = fixture.jsm().getStreamInfo(name);
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
        Streams.ensure(fixture.nats(), spec, StreamSettings.local());
        StreamSettings memory = new StreamSettings(StorageType.Memory, 1, Duration.ofDays(7), Duration.ofMinutes(2));

        assertThatThrownBy(() -> Streams.ensure(fixture.nats(), spec, memory))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining(name);
    }

    @Test
    void overlappingSubjectsAreRefused() {
        String first = unique("FIRST");
        String subject = first.toLowerCase() + ".events.>";
        Streams.ensure(fixture.nats(), new StreamSpec(first, List.of(subject)), StreamSettings.local());

        assertThatThrownBy(() -> Streams.ensure(fixture.nats(), new StreamSpec(unique("SECOND"), List.of(subject)),
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
}
