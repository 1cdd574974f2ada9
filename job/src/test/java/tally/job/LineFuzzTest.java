package tally.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the line rules (Jazzer): for any line, the parser's verdict on rules 1 to 3
 * agrees with the independent oracle of {@link LineOracleTest} (the JDK's UTF-8 decoder and Jackson), a
 * kept line's row has twenty fields and ends its line, and nothing throws. Without JAZZER_FUZZ=1 this
 * replays the inputs under src/test/resources (crashes found earlier); the fuzz stage fuzzes it.
 */
@Tag("fuzz")
class LineFuzzTest {
    private final LineJob job = new LineJob(JobConfig.defaults().withMaxLineBytes(1 << 16));

    @FuzzTest(maxDuration = "30s")
    void any_line_gets_the_oracles_verdict_and_a_well_formed_row(byte[] line) {
        int end = line.length;
        for (int i = 0; i < line.length; i++) {
            if (line[i] == '\n') {
                end = i; // one line: what comes before its LF
                break;
            }
        }
        byte[] one = java.util.Arrays.copyOf(line, end);

        Outcome outcome = job.accept(one, 0, one.length);

        if (outcome != Outcome.TOO_LONG) {
            byte[] judged = one.length > 0 && one[one.length - 1] == '\r' ? java.util.Arrays.copyOf(one, one.length - 1) : one;
            LineOracleTest.Verdict verdict = LineOracleTest.oracle(judged);
            // Lone surrogate escapes are valid here (the old job's parser took them); Jackson, the oracle,
            // refuses some of them in member names, so only the parser's own tests judge those lines.
            boolean oracleCannotJudge = verdict == LineOracleTest.Verdict.INVALID_JSON && hasSurrogateEscape(judged);
            assertThat(oracleCannotJudge || verdict.admits(outcome.name())).as("oracle %s, parser %s", verdict, outcome)
                    .isTrue();
        }
        if (outcome == Outcome.KEPT) {
            byte[] row = job.row();
            assertThat(row[row.length - 1]).isEqualTo((byte) '\n');
            assertThat(fields(row)).isEqualTo(20);
        }
    }

    /** Whether the line holds a backslash-u escape of a surrogate (D800 to DFFF). */
    private static boolean hasSurrogateEscape(byte[] line) {
        for (int i = 0; i + 3 < line.length; i++) {
            if (line[i] == '\\' && line[i + 1] == 'u' && (line[i + 2] == 'd' || line[i + 2] == 'D')) {
                byte c = line[i + 3];
                if ((c >= '8' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                    return true;
                }
            }
        }
        return false;
    }

    /** TABs not escaped by a backslash, plus one. */
    private static int fields(byte[] row) {
        int fields = 1;
        for (int i = 0; i < row.length - 1; i++) {
            if (row[i] == '\\') {
                i++;
            } else if (row[i] == '\t') {
                fields++;
            }
        }
        return fields;
    }
}
