package tally.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.sample.BookmarkGenerator;

/** The streaming summary writer must give the bytes the ObjectMapper gave before it. */
@Tag("unit")
class SummaryJsonTest {
    @TempDir
    Path spill;

    /** As the stats command wrote the file before: UTF-8 bytes (a String output would differ on surrogates). */
    private static String viaMapper(Summary s) throws IOException {
        byte[] json = new ObjectMapper().writerFor(Summary.class).withDefaultPrettyPrinter().writeValueAsBytes(s);
        return new String(json, UTF_8);
    }

    private static String viaStream(Summary s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SummaryJson.write(s, out);
        return out.toString(UTF_8);
    }

    @Test
    void a_job_summary_is_written_as_the_object_mapper_writes_it() throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        new BookmarkGenerator(7).write(data, 300_000);
        Summary s = JobRun.of(data.toByteArray(), JobConfig.defaults(), 1 << 16, spill).result().summary();

        assertThat(s.topTerms()).isNotEmpty();
        assertThat(viaStream(s)).isEqualTo(viaMapper(s));
    }

    @Test
    void an_empty_summary_with_nulls_is_written_as_the_object_mapper_writes_it() throws IOException {
        Summary s = JobRun.of("", spill).result().summary();

        assertThat(s.numTags().min()).isNull();
        assertThat(viaStream(s)).isEqualTo(viaMapper(s));
    }

    @Test
    void keys_and_terms_needing_escapes_are_written_as_the_object_mapper_writes_them() throws IOException {
        Map<String, Long> odd = new LinkedHashMap<>();
        odd.put("tab\there \"q\" back\\slash", 1L);
        odd.put("ctl \u0001\u001f nl\n é 日本 \uD83D\uDE00 \u007f", 2L);
        Summary base = JobRun.of("", spill).result().summary();
        Summary s = new Summary(base.counters(), new Summary.Tags(3, 2, 1, List.of(1L, 2L)),
                new Summary.NumTags(1, Integer.MAX_VALUE, 1e-7), 123456789.125, odd, Map.of(), odd,
                List.of(new Summary.TermCount("a\"b\\c\u0000\u2028</script> \uD83D\uDE00", Long.MAX_VALUE)), true);

        assertThat(viaStream(s)).isEqualTo(viaMapper(s));
    }
}
