package tally.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The one place errors become answers: the cases that are not the client's fault must not read as if they were. */
@Tag("unit")
class ProblemsTest {
    private final Problems problems = new Problems(Json.mapper(), 1024);
    private final HttpServerExchange exchange = new HttpServerExchange(null);

    @Test
    void a_full_disk_is_507_insufficient_storage_wherever_it_surfaces() {
        IOException enospc = new IOException("No space left on device");
        Problem direct = problems.from(enospc, exchange);
        Problem wrapped = problems.from(new UncheckedIOException("could not write rows", enospc), exchange);
        Problem quota = problems.from(new FileSystemException("/data/x", null, "Disk quota exceeded"), exchange);

        assertThat(direct.status()).isEqualTo(507);
        assertThat(direct.title()).isEqualTo("Insufficient Storage");
        assertThat(direct.detail()).contains("out of disk space").contains("nothing of this upload was kept");
        assertThat(wrapped.status()).isEqualTo(507);
        assertThat(quota.status()).isEqualTo(507);
    }

    @Test
    void other_failures_stay_what_they_were() {
        assertThat(problems.from(new IOException("Connection reset by peer"), exchange).status()).isEqualTo(500);
        assertThat(problems.from(new IllegalArgumentException("invalid cursor"), exchange).status()).isEqualTo(400);
    }
}
