package dev.bazaar.messaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NatsTlsTest {
    @TempDir
    Path dir;

    @Test
    void aClientCertificateNeedsItsKey() {
        assertThatThrownBy(() -> new NatsTls(dir.resolve("ca.pem"), dir.resolve("client.pem"), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnreadableCaFileIsAMessagingErrorNamingTheFile() {
        assertThatThrownBy(() -> NatsTls.trusting(dir.resolve("missing.pem")).sslContext())
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("missing.pem");
    }

    @Test
    void aFileWithoutCertificatesIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertThatThrownBy(() -> NatsTls.trusting(empty).sslContext()).isInstanceOf(MessagingException.class);
    }

    @Test
    void settingsWithTlsKeepItAndSayIt() {
        NatsSettings settings = NatsSettings.local("nats://127.0.0.1:4222", "t").withTls(NatsTls.trusting(dir));
        assertThat(settings.withUserInfo("u", "p").tls()).isEqualTo(NatsTls.trusting(dir));
        assertThat(settings.toString()).contains("tls=NatsTls");
    }
}
