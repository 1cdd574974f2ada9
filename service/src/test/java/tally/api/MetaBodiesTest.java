package tally.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tally.store.DatasetMeta;
import tally.store.DatasetStatus;
import tally.job.Counters;

@Tag("unit")
class MetaBodiesTest {
    private final ObjectMapper json = new ObjectMapper();
    private final MetaBodies bodies = new MetaBodies(json);

    @Test
    void the_same_metadata_instance_is_serialized_once_and_a_changed_one_again() throws Exception {
        DatasetMeta first = meta("first name");
        byte[] body = bodies.of(first);
        assertThat(bodies.of(first)).isSameAs(body);
        assertThat(body).isEqualTo(json.writeValueAsBytes(first));

        DatasetMeta renamed = meta("second name");
        assertThat(new String(bodies.of(renamed), StandardCharsets.UTF_8)).contains("second name");
    }

    @Test
    void a_forgotten_dataset_is_serialized_afresh() {
        DatasetMeta meta = meta("name");
        byte[] body = bodies.of(meta);
        bodies.forget(meta.id());
        assertThat(bodies.of(meta)).isNotSameAs(body).isEqualTo(body);
    }

    private static DatasetMeta meta(String name) {
        return new DatasetMeta("ds1", name, DatasetStatus.COMPLETE, "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z",
                null, null, new Counters(10, 1, 1, 0, 0, new Counters.SkippedByReason(0, 0, 0, 0, 0, 0)), null);
    }
}
