package dev.bazaar.messaging.events;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectCaptureTest {
    @ParameterizedTest(name = "{0} captures {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            orders.events.>             | orders.events.order-placed    | true
            orders.events.>             | orders.events.a.b             | true
            orders.events.>             | orders.events                 | false
            orders.events.>             | payments.events.x             | false
            orders.*.order-placed       | orders.events.order-placed    | true
            orders.*.order-placed       | orders.events.order-confirmed | false
            orders.*                    | orders.events.order-placed    | false
            orders.events.order-placed  | orders.events.order-placed    | true
            orders.events.order-placed  | orders.events.order-placed.x  | false
            >                           | anything.at.all               | true
            """)
    void matchesLikeNats(String filter, String subject, boolean captured) {
        assertThat(Streams.captures(filter, subject)).isEqualTo(captured);
    }
}
