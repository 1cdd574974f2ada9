package tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undertow.server.DefaultByteBufferPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tally.http.Problem;
import tally.http.ProblemException;
import tally.server.Bookmarks;
import tally.web.PastedText;

/** The body decoders alone, fed in chunks of every size: the body can be cut anywhere. */
@Tag("unit")
class StagesTest {

    /** Collects what reaches the end of the chain. */
    private static final class Collect implements Stage {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ended;

        @Override
        public void accept(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        public void end() {
            ended = true;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static void feed(Stage stage, byte[] body, int chunk) throws IOException {
        for (int i = 0; i < body.length; i += chunk) {
            int n = Math.min(chunk, body.length - i);
            stage.accept(java.util.Arrays.copyOfRange(body, i, i + n), 0, n);
        }
        stage.end();
    }

    private static byte[] gzip(String text, String fileName) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] b = out.toByteArray();
        if (fileName == null) {
            return b;
        }
        // Same member with the FNAME flag and a name, as gzip(1) writes it.
        ByteArrayOutputStream named = new ByteArrayOutputStream();
        named.write(b, 0, 3);
        named.write(b[3] | 8);
        named.write(b, 4, 6);
        named.writeBytes(fileName.getBytes(StandardCharsets.ISO_8859_1));
        named.write(0);
        named.write(b, 10, b.length - 10);
        return named.toByteArray();
    }

    @Test
    void gzip_decodes_whatever_the_chunking_including_named_and_concatenated_members() throws IOException {
        String text = Bookmarks.MIXED.repeat(30);
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        two.writeBytes(gzip(text, "bookmarks.jsonl"));
        two.writeBytes(gzip("second member\n", null));
        for (int chunk : new int[] {1, 3, 10, 11, 4096, 1 << 20}) {
            Collect out = new Collect();
            feed(new GzipStage(out), two.toByteArray(), chunk);
            assertThat(out.text()).as("chunk %d", chunk).isEqualTo(text + "second member\n");
            assertThat(out.ended).isTrue();
        }
    }

    @Test
    void gzip_refuses_damaged_and_truncated_input() throws IOException {
        byte[] good = gzip(Bookmarks.MIXED, null);
        byte[] damaged = good.clone();
        damaged[damaged.length - 6] ^= 1;

        assertThatThrownBy(() -> feed(new GzipStage(new Collect()), damaged, 7))
                .isInstanceOf(ProblemException.class).hasMessageContaining("checksum");
        assertThatThrownBy(() -> feed(new GzipStage(new Collect()), java.util.Arrays.copyOf(good, good.length - 3), 7))
                .isInstanceOf(ProblemException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> feed(new GzipStage(new Collect()), "plain".getBytes(StandardCharsets.UTF_8), 7))
                .isInstanceOf(ProblemException.class).hasMessageContaining("magic");
    }

    /** A multipart target that records the check and what was opened. */
    private static final class Target implements MultipartStage.DataTarget {
        final Collect data = new Collect();
        final List<String> events = new ArrayList<>();

        @Override
        public void check(Map<String, String> fields) {
            events.add("check " + fields);
            if (!"good".equals(fields.get("csrf"))) {
                throw Problem.of(403, "Forbidden", "bad token").toException();
            }
        }

        @Override
        public Stage open(Map<String, String> fields, String filename) {
            events.add("open " + filename);
            return data;
        }
    }

    private static byte[] form(String token, String... fileParts) {
        StringBuilder b = new StringBuilder();
        b.append("--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n").append(token).append("\r\n");
        for (int i = 0; i < fileParts.length; i++) {
            b.append("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f").append(i)
                    .append(".jsonl\"\r\n\r\n").append(fileParts[i]).append("\r\n");
        }
        b.append("--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n").append("pasted\r\n");
        b.append("--XyZ--\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static MultipartStage multipart(Target target) {
        return multipart(target, null);
    }

    private static MultipartStage multipart(Target target, PastedText pasted) {
        return new MultipartStage("XyZ", new DefaultByteBufferPool(false, 1024), Set.of("text"), pasted, target);
    }

    @Test
    void multipart_checks_the_fields_before_the_file_then_joins_data_parts_with_a_newline() throws IOException {
        for (int chunk : new int[] {1, 5, 64, 100_000}) {
            Target target = new Target();
            feed(multipart(target), form("good", "a\nb", "c\n"), chunk);
            assertThat(target.events).containsExactly("check {csrf=good}", "open f0.jsonl");
            assertThat(target.data.text()).as("chunk %d", chunk).isEqualTo("a\nb\nc\npasted");
        }
    }

    @Test
    void an_endless_part_header_is_refused_after_64_kib_without_being_held() {
        // A header line that never ends: 10 MB of it would have been buffered whole by the parser.
        byte[] start = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\nX-Pad: "
                .getBytes(StandardCharsets.UTF_8);
        MultipartStage stage = multipart(new Target());

        assertThatThrownBy(() -> {
            stage.accept(start, 0, start.length);
            byte[] pad = new byte[64 * 1024];
            java.util.Arrays.fill(pad, (byte) 'a');
            for (int i = 0; i < 160; i++) {
                stage.accept(pad, 0, pad.length);
            }
        }).isInstanceOf(ProblemException.class).hasMessageContaining("headers").hasMessageContaining("65536");
    }

    @Test
    void a_body_of_more_parts_than_any_form_has_is_refused() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i <= MultipartStage.MAX_PARTS; i++) {
            body.append("--XyZ\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nx\r\n");
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> feed(multipart(new Target()), bytes, 4096)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("more than 1000 parts");
    }

    @Test
    void a_large_file_part_flows_through_however_it_is_chunked() throws IOException {
        String big = "{\"id\": \"x\"}\n".repeat(50_000);
        Target target = new Target();
        feed(multipart(target), form("good", big), 1 << 20);
        assertThat(target.data.text()).startsWith(big);
    }

    @Test
    void a_failed_field_check_stops_the_upload_before_any_file_byte() {
        Target target = new Target();

        assertThatThrownBy(() -> feed(multipart(target), form("forged", "secret data\n"), 3))
                .isInstanceOf(ProblemException.class).hasMessageContaining("bad token");
        assertThat(target.events).containsExactly("check {csrf=forged}");
        assertThat(target.data.bytes.size()).isZero();
    }

    @Test
    void the_pasted_text_is_kept_whole_for_the_form_and_the_file_is_not() throws IOException {
        for (int chunk : new int[] {1, 7, 100_000}) {
            PastedText pasted = new PastedText();

            feed(multipart(new Target(), pasted), form("good", "file bytes\n"), chunk);

            assertThat(pasted.text()).as("chunk %d", chunk).isEqualTo("pasted");
        }
    }

    @Test
    void a_pasted_text_cut_off_or_too_long_to_show_again_is_not_kept() {
        PastedText cut = new PastedText();
        byte[] body = form("good", "x\n");
        assertThatThrownBy(() -> feed(multipart(new Target(), cut), java.util.Arrays.copyOf(body, body.length - 12), 5))
                .isInstanceOf(ProblemException.class);
        assertThat(cut.text()).as("the part never ended").isEmpty();

        PastedText tooLong = new PastedText();
        tooLong.append(new byte[PastedText.MAX_BYTES], 0, PastedText.MAX_BYTES);
        tooLong.append(new byte[] {'x'}, 0, 1);
        tooLong.end();
        assertThat(tooLong.text()).isEmpty();
    }
}
