package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Durations on tally-deploy's command line: short suffixes and ISO-8601 alike. */
@Tag("unit")
class DurationOptionTest {
    @Test
    void short_forms_and_iso_8601_give_the_same_durations() {
        assertThat(DeployCli.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DeployCli.parseDuration("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DeployCli.parseDuration("pt30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DeployCli.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5)).isEqualTo(DeployCli.parseDuration("PT5M"));
        assertThat(DeployCli.parseDuration("1h")).isEqualTo(DeployCli.parseDuration("PT1H"));
        assertThat(DeployCli.parseDuration("200ms")).isEqualTo(Duration.ofMillis(200));
        assertThat(DeployCli.parseDuration("P1D")).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void a_duration_in_neither_form_is_refused() {
        assertThatThrownBy(() -> DeployCli.parseDuration("soon")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> DeployCli.parseDuration("PTfive")).isInstanceOf(DateTimeParseException.class);
    }
}
