package dev.bazaar.observability;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

class StdoutHandlerTest {
    @Test
    void defaultsToJsonLinesAtEveryLevel() {
        StdoutHandler handler = new StdoutHandler();
        assertThat(handler.getFormatter()).isInstanceOf(JsonLogFormatter.class);
        assertThat(handler.getLevel()).isEqualTo(Level.ALL);
        handler.close();   // must not close standard output
        System.out.flush();
        assertThat(System.out.checkError()).isFalse();
    }
}
