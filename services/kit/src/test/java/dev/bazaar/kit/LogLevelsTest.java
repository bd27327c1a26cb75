package dev.bazaar.kit;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class LogLevelsTest {
    @Test
    void aLevelSystemPropertySetsThatLoggersLevelAndNonLevelsAreIgnored() {
        String name = "dev.bazaar.kit.loglevels" + System.nanoTime();
        System.setProperty(name + ".level", "FINE");
        System.setProperty(name + ".other.level", "LOUD");
        try {
            LogLevels.applyOverrides();
            assertThat(Logger.getLogger(name).getLevel()).isEqualTo(Level.FINE);
            assertThat(Logger.getLogger(name + ".other").getLevel()).isNull();
        } finally {
            System.clearProperty(name + ".level");
            System.clearProperty(name + ".other.level");
        }
    }
}
