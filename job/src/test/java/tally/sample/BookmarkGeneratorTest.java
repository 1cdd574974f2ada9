package tally.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class BookmarkGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_same_seed_gives_the_same_bytes_and_another_seed_does_not() throws IOException {
        assertThat(generate(7, 0.01, 50_000)).isEqualTo(generate(7, 0.01, 50_000));
        assertThat(generate(7, 0.01, 50_000)).isNotEqualTo(generate(8, 0.01, 50_000));
    }

    @Test
    void the_stream_gives_the_same_whole_lines_as_write() throws IOException {
        byte[] written = generate(3, 0.05, 100_000);
        byte[] streamed;
        try (InputStream in = new BookmarkGenerator(3, 0.05).stream(100_000)) {
            streamed = in.readAllBytes();
        }
        assertThat(streamed).isEqualTo(written);
        assertThat(streamed.length).isGreaterThanOrEqualTo(100_000).isLessThan(100_000 + 4_096);
        assertThat(streamed[streamed.length - 1]).isEqualTo((byte) '\n');
    }

    @Test
    void without_bad_lines_every_line_is_a_bookmark_object_with_an_id_and_a_date() throws IOException {
        String text = new String(generate(11, 0.0, 200_000), StandardCharsets.UTF_8);
        int withTags = 0;
        for (String line : text.split("\n")) {
            JsonNode record = JSON.readTree(line);
            assertThat(record.isObject()).isTrue();
            assertThat(record.get("id").isTextual()).isTrue();
            assertThat(record.get("updated").asText()).matches("\\w{3}, \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000");
            if (record.has("tags")) {
                withTags++;
                assertThat(record.get("tags").get(0).get("term").isTextual()).isTrue();
            }
        }
        assertThat(withTags).isPositive();
    }

    @Test
    void at_full_bad_rate_no_line_is_a_complete_record() throws IOException {
        String text = new String(generate(5, 1.0, 20_000), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            JsonNode record;
            try {
                record = JSON.readTree(line);
            } catch (IOException invalidJson) {
                continue;
            }
            boolean complete = record.isObject()
                && record.path("tags").isArray()
                && record.path("id").isTextual()
                && record.path("updated").asText().split(" ").length >= 5;
            assertThat(complete).as(line).isFalse();
        }
    }

    @Test
    void a_bad_rate_outside_zero_to_one_is_refused() {
        assertThatThrownBy(() -> new BookmarkGenerator(1, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] generate(long seed, double badRate, long bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BookmarkGenerator(seed, badRate).write(out, bytes);
        return out.toByteArray();
    }
}
