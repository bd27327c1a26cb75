package dev.bazaar.loadgen;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadSettingsTest {
    @Test
    void defaultsTo50PerSecondFor30SecondsOnThisMachine() {
        LoadSettings settings = LoadSettings.parse();
        assertThat(settings.rate()).isEqualTo(50);
        assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.orders().toString()).isEqualTo("http://127.0.0.1:8083");
        assertThat(settings.scenario()).isEqualTo(LoadSettings.Scenario.MIX);
        assertThat(settings.closedLoop()).isFalse();
        // a bound on connections, not a multiple of the rate (5 x 1,800/s once opened 9,000 and sank the catalog)
        assertThat(settings.maxInFlight()).isEqualTo(256);
        assertThat(LoadSettings.parse("--rate", "2000").maxInFlight()).isEqualTo(256);
    }

    @Test
    void readsScenarioLoopAndObserver() {
        LoadSettings settings = LoadSettings.parse("--scenario", "get-product", "--connections", "32", "--warmup",
                "5s", "--observe", "poll", "--json", "/tmp/x.json");
        assertThat(settings.scenario()).isEqualTo(LoadSettings.Scenario.GET_PRODUCT);
        assertThat(settings.closedLoop()).isTrue();
        assertThat(settings.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.observe()).isEqualTo(LoadSettings.Observe.POLL);
        assertThatThrownBy(() -> LoadSettings.parse("--scenario", "nope")).hasMessageContaining("get-product");
    }

    @Test
    void readsMakeStyleDurations() {
        assertThat(LoadSettings.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(LoadSettings.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(LoadSettings.duration("PT5S")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void refusesToLoadAnythingButThisMachineAndUnboundedRuns() {
        assertThatThrownBy(() -> LoadSettings.parse("--orders", "http://example.com:8083"))
                .hasMessageContaining("only 127.0.0.1");
        assertThatThrownBy(() -> LoadSettings.parse("--rate", "100000")).hasMessageContaining("rate");
        assertThatThrownBy(() -> LoadSettings.parse("--duration", "2h")).hasMessageContaining("duration");
    }
}
