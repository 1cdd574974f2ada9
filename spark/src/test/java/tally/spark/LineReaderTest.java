package tally.spark;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cutting slices into lines, without Spark: every line exactly once, whatever the cut. */
@Tag("spark")
class LineReaderTest {
    private static final Configuration CONF = new Configuration();

    @TempDir
    Path dir;

    @Test
    void every_cut_into_two_slices_reads_each_line_once_with_its_bytes() throws IOException {
        byte[] input = "a\r\n\nbb\rb\n\n\nccc".getBytes(UTF_8);
        Path file = Files.write(dir.resolve("in.txt"), input);
        List<String> whole = lines(slice(file, 0, input.length), 100);

        assertThat(whole).containsExactly("a\r@0", "@3", "bb\rb@4", "@9", "@10", "ccc@11");
        for (int cut = 0; cut <= input.length; cut++) {
            LineCount first = read(slice(file, 0, cut), 100);
            LineCount second = read(slice(file, cut, input.length - cut), 100);
            List<String> both = new ArrayList<>(first.lines);
            both.addAll(second.lines);
            assertThat(both).as("cut at %d", cut).isEqualTo(whole);
            assertThat(first.bytes + second.bytes).as("cut at %d", cut).isEqualTo(input.length);
        }
    }

    @Test
    void a_final_lf_ends_the_last_line_without_starting_another() throws IOException {
        Path file = Files.write(dir.resolve("in.txt"), "x\ny\n".getBytes(UTF_8));

        assertThat(lines(slice(file, 0, 4), 100)).containsExactly("x@0", "y@2");
    }

    @Test
    void a_line_over_the_cap_is_handed_over_cut_to_the_cap_and_counted_whole() throws IOException {
        String longLine = "L".repeat(300_000);
        byte[] input = ("short\n" + longLine + "\nafter").getBytes(UTF_8);
        Path file = Files.write(dir.resolve("in.txt"), input);

        LineCount read = read(slice(file, 0, input.length), 1000);

        assertThat(read.lines).containsExactly("short@0", "L".repeat(1002) + "@6", "after@300007");
        assertThat(read.bytes).isEqualTo(input.length);
    }

    @Test
    void a_line_across_read_buffers_is_joined() throws IOException {
        String line = "y".repeat(100_000);
        Path file = Files.write(dir.resolve("in.txt"), ("x".repeat(65_000) + "\n" + line + "\n").getBytes(UTF_8));

        assertThat(lines(slice(file, 0, Files.size(file)), 200_000)).containsExactly("x".repeat(65_000) + "@0", line + "@65001");
    }

    @Test
    void gzip_is_told_by_magic_bytes_not_by_name() throws IOException {
        Path plain = Files.write(dir.resolve("plain.jsonl.gz"), "x\ny".getBytes(UTF_8));
        Path gzip = dir.resolve("packed.jsonl");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write("p\r\nq\n".getBytes(UTF_8));
        }

        assertThat(read(new InputSlice(0, 0, plain.toUri().toString(), 0, 3, true), 100))
                .isEqualTo(new LineCount(List.of("x@0", "y@2"), 3));
        assertThat(read(slice(gzip, 0, 5), 100)).isEqualTo(new LineCount(List.of("p\r@0", "q@3"), 5));
        assertThat(read(slice(gzip, 5, Files.size(gzip) - 5), 100).lines()).isEmpty();
    }

    private static InputSlice slice(Path file, long start, long length) {
        return new InputSlice(0, 0, file.toUri().toString(), start, length, false);
    }

    private static List<String> lines(InputSlice slice, int maxLineBytes) throws IOException {
        return read(slice, maxLineBytes).lines;
    }

    private record LineCount(List<String> lines, long bytes) {
    }

    private static LineCount read(InputSlice slice, int maxLineBytes) throws IOException {
        List<String> lines = new ArrayList<>();
        try (LineReader reader = LineReader.open(FileSystem.getLocal(CONF), slice, maxLineBytes)) {
            while (reader.next()) {
                byte[] line = Arrays.copyOfRange(reader.buffer(), reader.start(), reader.end());
                lines.add(new String(line, UTF_8) + "@" + reader.position());
            }
            return new LineCount(lines, reader.bytes());
        }
    }
}
