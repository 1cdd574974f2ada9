package tally;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;
import tally.http.BuildVersion;
import tally.store.DatasetExistsException;
import tally.store.DatasetMeta;
import tally.store.DatasetPage;
import tally.store.DatasetStore;
import tally.store.FileDatasetStore;
import tally.store.MetaJson;
import tally.store.S3DatasetStore;
import tally.store.S3Location;
import tally.store.S3StoreSettings;
import tally.store.StoreUnavailableException;

/**
 * {@code tally migrate-store --from DIR --to s3://BUCKET/PREFIX} (or the other way, or between two of
 * either): copies every complete dataset, its stored input (LZ4 frames) and rows byte for byte and its
 * metadata as it was (id, name, times, counters, summary), each made visible atomically as an upload
 * would be. Idempotent and resumable: a dataset already at the destination with the same metadata is
 * skipped, so a run cut short is finished by running it again; one there with other metadata is left
 * alone and reported. A data directory must not be in use by a running server (its lock says so).
 * Exit code 0, 1 if something could not be copied, 2 on a usage error.
 */
public final class MigrateStoreCommand {
    static final String NAME = "migrate-store";
    static final String DESCRIPTION = "Copy complete datasets between a data directory and an S3 store.";

    private static final Option FROM = Option.value("--from", "DIR|URL",
            "Where the datasets are: a --data-dir, or s3://BUCKET/PREFIX");
    private static final Option TO = Option.value("--to", "DIR|URL",
            "Where they go: a --data-dir, or s3://BUCKET/PREFIX");
    private static final List<Option> OPTIONS = List.of(FROM, TO, Main.S3_ENDPOINT, CommandArgs.HELP,
            CommandArgs.VERSION);
    private static final int PAGE = 1000;

    private final OutputStream stdout;
    private final PrintStream stderr;
    private final Map<String, String> env;
    private final MetaJson json = new MetaJson();

    MigrateStoreCommand(OutputStream stdout, PrintStream stderr, Map<String, String> env) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.env = env;
    }

    /** What one run did. */
    record Tally(int copied, int alreadyThere, int conflicts, int incomplete) {
    }

    int run(String... args) {
        String from;
        String to;
        URI endpoint;
        try {
            CommandArgs cli = CommandArgs.parse(OPTIONS, env, args);
            if (cli.answeredHelpOrVersion(stdout, MigrateStoreCommand::usage, () -> BuildVersion.current().line())) {
                return 0;
            }
            from = cli.required(FROM);
            to = cli.required(TO);
            endpoint = cli.uri(Main.S3_ENDPOINT);
            if (S3Location.isS3(from)) {
                S3Location.parse(from);
            }
            if (S3Location.isS3(to)) {
                S3Location.parse(to);
            }
            if (from.equals(to)) {
                throw new UsageException("--from and --to are the same store");
            }
        } catch (UsageException | IllegalArgumentException e) {
            stderr.println("tally " + NAME + ": " + e.getMessage());
            stderr.print(usage());
            return 2;
        }
        try (DatasetStore source = open(from, endpoint); DatasetStore target = open(to, endpoint)) {
            Tally done = copyAll(source, target);
            stderr.printf("copied %d, already there %d, conflicts %d, not complete (not copied) %d%n", done.copied(),
                    done.alreadyThere(), done.conflicts(), done.incomplete());
            return done.conflicts() == 0 ? 0 : 1;
        } catch (IOException | StoreUnavailableException e) {
            stderr.println("tally " + NAME + ": " + e.getMessage() + " (run it again to resume)");
            return 1;
        }
    }

    static String usage() {
        return CommandArgs.usage("tally " + NAME + " --from DIR|URL --to DIR|URL [OPTIONS]", DESCRIPTION, OPTIONS);
    }

    private static DatasetStore open(String location, URI endpoint) throws IOException {
        if (S3Location.isS3(location)) {
            return S3DatasetStore.connect(S3StoreSettings.of(S3Location.parse(location), endpoint));
        }
        return FileDatasetStore.open(Path.of(location));
    }

    Tally copyAll(DatasetStore source, DatasetStore target) throws IOException {
        int[] counts = new int[4];
        String cursor = null;
        do {
            DatasetPage page = source.list(cursor, PAGE);
            for (DatasetMeta meta : page.datasets()) {
                counts[copy(meta, source, target)]++;
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return new Tally(counts[0], counts[1], counts[2], counts[3]);
    }

    /** Copies one dataset; returns the index of what happened in {@link Tally}'s order. */
    private int copy(DatasetMeta meta, DatasetStore source, DatasetStore target) throws IOException {
        if (!meta.isComplete()) {
            stderr.printf("%s: %s, not copied%n", meta.id(), meta.status().json());
            return 3;
        }
        Optional<DatasetMeta> there = target.find(meta.id());
        if (there.isEmpty()) {
            try (InputStream input = source.openStoredInput(meta.id()); InputStream rows = source.openRows(meta.id())) {
                target.restore(meta, input, rows);
                stderr.printf("%s: copied (%,d bytes stored)%n", meta.id(),
                        meta.sizes().storedInputBytes() + meta.sizes().rowsBytes());
                return 0;
            } catch (DatasetExistsException e) {
                there = target.find(meta.id()); // taken meanwhile (another run, an upload): compare below
            }
        }
        if (there.isPresent() && same(meta, there.get())) {
            return 1;
        }
        stderr.printf("%s: the destination has another dataset with this id; left alone%n", meta.id());
        return 2;
    }

    private boolean same(DatasetMeta a, DatasetMeta b) throws IOException {
        return Arrays.equals(json.write(a), json.write(b));
    }
}
