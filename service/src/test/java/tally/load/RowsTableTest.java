package tally.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RowsTableTest {
    private static final String COLUMNS = "\"id\", \"weekday\", \"month\", \"year\", \"hour\", \"minute\", \"second\", "
            + "\"num_tags\", \"sum_tag_len\", \"avg_tag_len\", \"f0\", \"f1\", \"f2\", \"f3\", \"f4\", \"f5\", \"f6\", "
            + "\"f7\", \"f8\", \"f9\"";

    @Test
    void names_fold_to_lower_case_and_are_quoted() {
        assertThat(RowsTable.named("Tag_Rows").sqlName()).isEqualTo("\"tag_rows\"");
        assertThat(RowsTable.named("warehouse.order").sqlName()).isEqualTo("\"warehouse\".\"order\"");
        for (String bad : new String[] {"", "1t", "a.b.c", "t\"", "a-b", "x".repeat(64)}) {
            assertThatThrownBy(() -> RowsTable.named(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void postgres_statements() {
        RowsTable table = RowsTable.named("tag_rows");
        assertThat(table.postgresCopy()).isEqualTo("COPY \"tag_rows\" (" + COLUMNS
                + ") FROM STDIN (FORMAT text, DELIMITER E'\\t', NULL E'\\\\0', ENCODING 'UTF8')");
        assertThat(table.postgresCreate()).startsWith("CREATE TABLE IF NOT EXISTS \"tag_rows\" (\"id\" text NOT NULL, "
                + "\"weekday\" text NOT NULL").contains("\"num_tags\" integer NOT NULL, \"sum_tag_len\" double precision NOT NULL")
                .endsWith("\"f9\" integer NOT NULL)");
    }

    @Test
    void redshift_statements() {
        RowsTable table = RowsTable.named("tag_rows");
        assertThat(table.redshiftCopy("s3://b/p/manifest.json", "arn:aws:iam::123456789012:role/R")).isEqualTo(
                "COPY \"tag_rows\" (" + COLUMNS + ") FROM 's3://b/p/manifest.json' IAM_ROLE 'arn:aws:iam::123456789012:role/R'"
                        + " MANIFEST GZIP DELIMITER '\\t' ESCAPE NULL AS '\\0' MAXERROR 0 COMPUPDATE OFF STATUPDATE ON");
        assertThat(table.redshiftCreate()).startsWith("CREATE TABLE IF NOT EXISTS \"tag_rows\" (\"id\" VARCHAR(65535) NOT NULL, "
                + "\"weekday\" VARCHAR(256) NOT NULL").contains("\"avg_tag_len\" DOUBLE PRECISION NOT NULL, \"f0\" INTEGER NOT NULL")
                .endsWith(") DISTSTYLE AUTO SORTKEY AUTO");
        assertThatThrownBy(() -> RowsTable.literal("it's")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RowsTable.literal("a\\b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_manifest_lists_every_part_as_mandatory() {
        assertThat(S3Parts.manifest("b", List.of("p/part-00000.tsv.gz", "p/part-00001.tsv.gz"))).isEqualTo("""
                {"entries":[
                  {"url":"s3://b/p/part-00000.tsv.gz","mandatory":true},
                  {"url":"s3://b/p/part-00001.tsv.gz","mandatory":true}
                ]}
                """);
        assertThat(S3Parts.prefix(URI.create("s3://b"))).isEmpty();
        assertThat(S3Parts.prefix(URI.create("s3://b/a/b/"))).isEqualTo("a/b/");
    }

    @Test
    void progress_says_rows_and_megabytes_per_second() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(err, true, StandardCharsets.UTF_8), System.nanoTime() - 2_000_000_000L);
        progress.update(1000, 2_000_000);
        progress.update(2000, 2_000_000);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("tally load: 1,000 rows, 2.0 MB in 2.0 s (")
                .contains(" rows/s, ").contains(" MB/s)").hasLineCount(1);
        assertThat(progress.rows()).isEqualTo(2000);
    }
}
