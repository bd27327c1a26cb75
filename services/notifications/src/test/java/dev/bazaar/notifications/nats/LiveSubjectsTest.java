package dev.bazaar.notifications.nats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiveSubjectsTest {
    @Test
    void aPlainCustomerIdIsTheLastToken() {
        assertThat(LiveSubjects.of("5b0c7c1e-6a7e-4a39-9d1e-2f0f3c8f6d10"))
                .isEqualTo("notifications.live.5b0c7c1e-6a7e-4a39-9d1e-2f0f3c8f6d10");
        assertThat(LiveSubjects.of("anonymous")).isEqualTo("notifications.live.anonymous");
    }

    @Test
    void anyOtherCustomerIdIsEncodedIntoOneSafeToken() {
        assertThat(LiveSubjects.of("ann.smith >*")).isEqualTo("notifications.live.~YW5uLnNtaXRoID4q")
                .matches("notifications\\.live\\.[~A-Za-z0-9_-]+");
        assertThat(LiveSubjects.of("")).isEqualTo("notifications.live.~");
        assertThat(LiveSubjects.of("é")).matches("notifications\\.live\\.~[A-Za-z0-9_-]+");
    }
}
