package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JitWarmUpTest {
    @Test
    void the_warm_up_runs_the_upload_code_and_leaves_nothing_behind() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = count(tmp);

        JitWarmUp.run(2L << 20);

        assertThat(count(tmp)).as("files left in " + tmp).isLessThanOrEqualTo(before);
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
