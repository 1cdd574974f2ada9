package tally.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class BenchmarkReportTest {

    @TempDir
    Path dir;

    @Test
    void the_median_of_an_even_number_of_runs_is_the_mean_of_the_middle_two() {
        BenchmarkReport.Spread spread = BenchmarkReport.Spread.of(List.of(4.0, 1.0, 3.0, 2.0));

        assertThat(spread.median()).isEqualTo(2.5);
        assertThat(spread.min()).isEqualTo(1.0);
        assertThat(spread.max()).isEqualTo(4.0);
    }

    @Test
    void a_failed_run_is_left_out_of_the_spread() {
        BenchmarkReport.Spread spread = BenchmarkReport.Spread.of(List.of(3.0, Double.NaN, 1.0));

        assertThat(spread.runs()).isEqualTo(2);
        assertThat(spread.median()).isEqualTo(2.0);
    }

    @Test
    void targets_say_met_or_not_met_and_by_how_much() throws Exception {
        String markdown = render("""
            input_bytes\t0\t206000000
            stats_s\t1\t0.5
            duckdb_rows_s\t1\t0.8
            duckdb_over_stats\t1\t1.6
            duckdb_over_upload\t1\t0.8
            startup_s\t1\t0.4
            wrk_rps\t1\tNA
            """, "full");

        assertThat(markdown)
            .contains("| `bin/tally stats` at least 1.2x faster than DuckDB's faster formulation (aim 2x) | 1.60x | "
                + "met, 33% above the 1.20x target |")
            .contains("| Upload with curl's defaults until `201` at least as fast as DuckDB (1.0x, aim 1.5x), running service "
                + "| 0.80x | **not met**, 20% below the 1.00x target |")
            .contains("| Start-up to `/readyz` 200 under 1 s | 0.400 s | met, 60% under the 1.000 s limit |")
            .contains("| `GET /api/datasets/{id}` at least 15,000 req/s | n/a | not measured |")
            .contains("| Tally `stats` file mode, JVM start included | 0.500 s | 0.500 s | 0.500 s | 412 MB/s | 1.60x (1.60-1.60) |")
            .doesNotContain("smoke: not a measurement");
    }

    @Test
    void a_smoke_report_says_it_is_not_a_measurement_and_gives_no_verdict() throws Exception {
        String markdown = render("stats_s\t1\t2.0\nduckdb_over_stats\t1\t1.6\n", "smoke");

        assertThat(markdown)
            .contains("**smoke: not a measurement.**")
            .contains("| `bin/tally stats` at least 1.2x faster than DuckDB's faster formulation (aim 2x) | 1.60x | "
                + "no verdict (smoke run) |")
            .doesNotContain("| met");
    }

    private String render(String results, String mode) throws Exception {
        Path resultsFile = Files.writeString(dir.resolve("results.tsv"), results);
        Path machine = Files.writeString(dir.resolve("machine.tsv"), "CPU\tAMD EPYC, 2 cores\n");
        Path out = dir.resolve("benchmarks.md");
        BenchmarkReport.main(new String[] {
            resultsFile.toString(), machine.toString(), dir.resolve("none.txt").toString(), "bench/run.sh", mode,
            out.toString()});
        return Files.readString(out);
    }
}
