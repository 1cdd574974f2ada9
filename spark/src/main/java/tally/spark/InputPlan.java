package tally.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The input cut into slices for the tasks. The input is a file, a directory (its files, not
 * recursively) or a glob; its files, sorted by path, are read as if concatenated in that order,
 * which is the order equal ids keep. In a directory or a glob, files whose name starts with {@code _} or
 * {@code .} are left out, as Hadoop's input formats do ({@code _SUCCESS}, checksums).
 */
public final class InputPlan {
    private InputPlan() {
    }

    /** The slices of {@code input}, at most {@code splitBytes} each; an empty file still gets one (empty) slice. */
    public static List<InputSlice> slices(String input, long splitBytes, Configuration conf) throws IOException {
        if (splitBytes < 1) {
            throw new IllegalArgumentException("split bytes must be positive: " + splitBytes);
        }
        List<InputSlice> slices = new ArrayList<>();
        List<FileStatus> files = files(new Path(input), conf);
        for (int f = 0; f < files.size(); f++) {
            FileStatus file = files.get(f);
            String path = file.getPath().toString();
            long size = file.getLen();
            if (file.getPath().getName().endsWith(".gz") || size == 0) {
                slices.add(new InputSlice(slices.size(), f, path, 0, size, size > 0));
                continue;
            }
            for (long start = 0; start < size; start += splitBytes) {
                slices.add(new InputSlice(slices.size(), f, path, start, Math.min(splitBytes, size - start), false));
            }
        }
        return slices;
    }

    private static List<FileStatus> files(Path input, Configuration conf) throws IOException {
        FileSystem fs = input.getFileSystem(conf);
        FileStatus[] matched = fs.globStatus(input);
        if (matched == null || matched.length == 0) {
            throw new IOException("no such input: " + input);
        }
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus status : matched) {
            if (status.isDirectory()) {
                for (FileStatus child : fs.listStatus(status.getPath())) {
                    if (child.isFile() && visible(child.getPath())) {
                        files.add(child);
                    }
                }
            } else if (visible(status.getPath()) || !isGlob(input)) {
                files.add(status);
            }
        }
        if (files.isEmpty()) {
            throw new IOException("no input files in " + input + " (matched: " + Arrays.toString(matched) + ")");
        }
        files.sort(Comparator.comparing(status -> status.getPath().toString()));
        return files;
    }

    private static boolean isGlob(Path input) {
        String text = input.toString();
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0 || text.indexOf('{') >= 0;
    }

    private static boolean visible(Path path) {
        String name = path.getName();
        return !name.startsWith("_") && !name.startsWith(".");
    }
}
