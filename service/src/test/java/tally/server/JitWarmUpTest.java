package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class JitWarmUpTest {
    @TempDir
    Path spill;

    @Test
    void the_warm_up_runs_the_upload_code_and_leaves_nothing_behind() {
        JitWarmUp.run(2L << 20, spill);

        assertThat(spill).isEmptyDirectory();
    }
}
