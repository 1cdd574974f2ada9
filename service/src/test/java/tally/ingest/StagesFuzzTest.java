package tally.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.undertow.server.DefaultByteBufferPool;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import tally.http.ProblemException;
import tally.web.PastedText;

/**
 * Coverage-guided fuzzing (Jazzer) of the upload pipeline's body stages, fed in chunks of any size: a
 * hostile multipart or gzip body may be refused only with a problem (a 4xx the client is told about),
 * never with another exception, and never passes on more bytes than its parts or members hold.
 */
@Tag("fuzz")
class StagesFuzzTest {

    /** Counts what reaches the dataset. */
    private static final class Sink implements Stage, MultipartStage.DataTarget {
        long bytes;

        @Override
        public void accept(byte[] b, int off, int len) {
            bytes += len;
        }

        @Override
        public void end() {
        }

        @Override
        public void check(Map<String, String> fields) {
            if ("refuse".equals(fields.get("csrf"))) {
                throw tally.http.Problem.of(403, "Forbidden", "refused").toException();
            }
        }

        @Override
        public Stage open(Map<String, String> fields, String filename) {
            return this;
        }
    }

    @FuzzTest(maxDuration = "30s")
    void a_multipart_body_is_read_or_refused_with_a_problem(FuzzedDataProvider data) throws IOException {
        String boundary = data.consumeBoolean() ? "XyZ" : data.consumeString(8);
        if (boundary.isEmpty()) {
            return;
        }
        Sink sink = new Sink();
        MultipartStage stage = new MultipartStage(boundary, new DefaultByteBufferPool(false, 1024), Set.of("text"),
                new PastedText(), sink);
        int chunk = data.consumeInt(1, 70_000);
        byte[] body = data.consumeRemainingAsBytes();
        feed(stage, body, chunk);
        assertThat(sink.bytes).isLessThanOrEqualTo(body.length + (long) MultipartStage.MAX_PARTS);
    }

    @FuzzTest(maxDuration = "30s")
    void a_gzip_body_is_decoded_or_refused_with_a_problem(FuzzedDataProvider data) throws IOException {
        Sink sink = new Sink();
        int chunk = data.consumeInt(1, 70_000);
        feed(new GzipStage(sink), data.consumeRemainingAsBytes(), chunk);
    }

    private static void feed(Stage stage, byte[] body, int chunk) throws IOException {
        try {
            for (int at = 0; at < body.length; at += chunk) {
                stage.accept(body, at, Math.min(chunk, body.length - at));
            }
            stage.end();
        } catch (ProblemException refused) {
            assertThat(refused.problem().status()).isBetween(400, 499);
        }
    }
}
