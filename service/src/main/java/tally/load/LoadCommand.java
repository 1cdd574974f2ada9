package tally.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;
import tally.http.BuildVersion;

/**
 * {@code tally load ROWS --jdbc-url URL --table NAME}: rows (SPEC-stats.md, "The row") into a
 * PostgreSQL table with COPY, or through S3 into Redshift, in one transaction; a bad row names its line
 * and leaves the table as it was. Exit code 0, 1 when the load failed (one line on stderr), 2 on a
 * usage error.
 */
public final class LoadCommand {
    public static final String NAME = "load";
    public static final String DESCRIPTION = "Load rows into a PostgreSQL or Redshift table, in one transaction.";

    private static final Option ROWS = Option.parameter("ROWS",
            "Rows as tally stats writes them (gzip detected), a folder of part-* files, or - for standard input");
    private static final Option JDBC_URL = Option.value("--jdbc-url", "URL",
            "jdbc:postgresql://HOST:PORT/DB; the password comes from the URL's password property or PGPASSWORD")
            .withEnv("TALLY_JDBC_URL");
    private static final Option TABLE = Option.value("--table", "NAME", "The table, optionally schema.table");
    private static final Option CREATE = Option.flag(null, "--create", "Create the table if it does not exist");
    private static final Option APPEND = Option.flag(null, "--append", "Add to the rows already in the table");
    private static final Option REPLACE = Option.flag(null, "--replace",
            "Swap the table's rows for these at once (readers see the old rows or the new, never a mix)");
    private static final Option FROM = Option.value("--from", "URL",
            "Instead of ROWS: a Tally server's dataset, http://HOST:PORT/api/datasets/ID (its rows.tsv, streamed)");
    private static final Option REDSHIFT = Option.value("--redshift", "S3_URL",
            "Load into Redshift: gzip parts and a manifest go to s3://BUCKET/PREFIX, then COPY reads them");
    private static final Option IAM_ROLE = Option.value("--iam-role", "ARN",
            "The IAM role Redshift's COPY reads S3 with (with --redshift)");
    private static final Option S3_ENDPOINT = Option.value("--s3-endpoint", "URL",
            "Another S3 endpoint, such as an emulator (with --redshift)");
    private static final Option PART_BYTES = Option.value("--part-bytes", "N",
            "Rows per Redshift part file before gzip").withDefault(S3Parts.DEFAULT_PART_BYTES);
    private static final List<Option> OPTIONS = List.of(ROWS, JDBC_URL, TABLE, CREATE, APPEND, REPLACE, FROM,
            REDSHIFT, IAM_ROLE, S3_ENDPOINT, PART_BYTES, CommandArgs.HELP, CommandArgs.VERSION);

    private final InputStream stdin;
    private final OutputStream stdout;
    private final PrintStream stderr;
    private final Map<String, String> env;

    /** Standard streams and the environment (PGPASSWORD, PGUSER, TALLY_JDBC_URL, AWS_REGION) come in here. */
    public LoadCommand(InputStream stdin, OutputStream stdout, PrintStream stderr, Map<String, String> env) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.env = env;
    }

    /** Runs {@code tally load ARGS} and returns the exit code. */
    public int run(String... args) {
        Request request;
        try {
            CommandArgs cli = CommandArgs.parse(OPTIONS, env, args);
            if (cli.answeredHelpOrVersion(stdout, LoadCommand::usage, () -> BuildVersion.current().line())) {
                return 0;
            }
            request = request(cli);
        } catch (UsageException e) {
            stderr.println("tally load: " + e.getMessage());
            stderr.print(usage());
            return 2;
        }
        return load(request);
    }

    public static String usage() {
        return CommandArgs.usage("tally load [OPTIONS] ROWS --jdbc-url URL --table NAME", DESCRIPTION, OPTIONS);
    }

    /** A command line, checked: what to read, where to load it, and how. */
    private record Request(List<RowSources.Source> sources, Database database, LoadTarget target, URI redshift,
            String iamRole, URI s3Endpoint, long partBytes) {
    }

    private Request request(CommandArgs cli) throws UsageException {
        try {
            String rows = cli.string(ROWS);
            String from = cli.string(FROM);
            if ((rows == null) == (from == null)) {
                throw new UsageException("give either ROWS or --from URL");
            }
            if (cli.has(APPEND) && cli.has(REPLACE)) {
                throw new UsageException("--append and --replace exclude each other");
            }
            String url = cli.string(JDBC_URL);
            if (url == null) {
                throw new UsageException("--jdbc-url is required (or TALLY_JDBC_URL)");
            }
            Database database = Database.of(url, env);
            String table = cli.string(TABLE);
            if (table == null) {
                throw new UsageException("--table is required");
            }
            LoadTarget.Mode mode = cli.has(REPLACE) ? LoadTarget.Mode.REPLACE
                    : cli.has(APPEND) ? LoadTarget.Mode.APPEND : LoadTarget.Mode.EMPTY_ONLY;
            LoadTarget target = new LoadTarget(RowsTable.named(table), cli.has(CREATE), mode);
            List<RowSources.Source> sources;
            if (from != null) {
                sources = List.of(RowSources.dataset(uri(FROM, from)));
            } else {
                sources = "-".equals(rows) ? List.of(RowSources.stdin(stdin)) : RowSources.path(cli.path(ROWS));
            }
            URI redshift = cli.string(REDSHIFT) == null ? null : uri(REDSHIFT, cli.string(REDSHIFT));
            String iamRole = cli.string(IAM_ROLE);
            URI endpoint = cli.string(S3_ENDPOINT) == null ? null : uri(S3_ENDPOINT, cli.string(S3_ENDPOINT));
            if (redshift == null && (iamRole != null || endpoint != null)) {
                throw new UsageException("--iam-role and --s3-endpoint go with --redshift");
            }
            if (redshift != null) {
                if (iamRole == null) {
                    throw new UsageException("--redshift needs --iam-role ARN (the role COPY reads S3 with)");
                }
                S3Parts.bucket(redshift);
                RowsTable.literal(redshift.toString());
                RowsTable.literal(iamRole);
            }
            long partBytes = cli.longValue(PART_BYTES);
            if (partBytes < 1) {
                throw new UsageException("--part-bytes must be positive");
            }
            return new Request(sources, database, target, redshift, iamRole, endpoint, partBytes);
        } catch (IllegalArgumentException | LoadException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private static URI uri(Option option, String text) throws UsageException {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new UsageException(option.name() + ": not a URL: " + text, e);
        }
    }

    private int load(Request request) {
        Database database = request.database();
        String table = request.target().table().sqlName();
        Progress progress = new Progress(stderr);
        try {
            long rows;
            if (request.redshift() == null) {
                rows = new PostgresLoad(database, request.target()).run(request.sources(), progress);
            } else {
                try (S3Client s3 = s3(request.s3Endpoint())) {
                    rows = new RedshiftLoad(database, request.target(), request.iamRole())
                            .run(request.sources(), s3, request.redshift(), request.partBytes(), progress, stderr);
                }
            }
            stderr.println("tally load: loaded " + rows + " rows into " + table + ": " + progress.totals());
            return 0;
        } catch (BadRowException e) {
            stderr.println("tally load: " + e.getMessage() + "; nothing was loaded");
        } catch (LoadException e) {
            stderr.println("tally load: " + database.masked(e.getMessage()));
        } catch (SQLException e) {
            stderr.println("tally load: " + table + " at " + database.displayUrl() + ": "
                    + database.masked(e.getMessage()) + "; nothing was loaded");
        } catch (IOException | UncheckedIOException | SdkException e) {
            stderr.println("tally load: " + database.masked(describe(e)) + "; nothing was loaded");
        }
        return 1;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * The S3 client of a Redshift load: credentials from the SDK's default chain; the region from
     * AWS_REGION, else us-east-1 for an emulator, else the SDK's chain. An emulator on loopback needs
     * path-style addressing and, like moto, may refuse the newer default checksums.
     */
    private S3Client s3(URI endpoint) {
        S3ClientBuilder builder = S3Client.builder();
        String region = env.get("AWS_REGION");
        if (region != null && !region.isEmpty()) {
            builder.region(Region.of(region));
        }
        if (endpoint != null) {
            if (region == null || region.isEmpty()) {
                builder.region(Region.US_EAST_1);
            }
            builder.endpointOverride(endpoint).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
        }
        return builder.build();
    }
}
