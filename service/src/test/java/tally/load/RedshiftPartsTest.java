package tally.load;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/**
 * The Redshift path up to the COPY: part files and the manifest on a real S3 emulator, then the
 * transaction against the test PostgreSQL, which refuses Redshift's COPY: the error names
 * STL_LOAD_ERRORS and the table is untouched. (No Redshift cluster runs here; README says so.)
 * Tagged deploy: that stage is the one that guarantees moto_server (TALLY_REQUIRE_MOTO=1).
 */
@Tag("deploy")
@ExtendWith({PostgresServer.class, MotoServer.class})
class RedshiftPartsTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopy";
    private static final Map<String, String> ENV = Map.of("PGPASSWORD", PostgresServer.PASSWORD);

    @TempDir
    Path dir;

    @Test
    void rows_go_to_s3_as_gzip_parts_cut_at_rows_with_a_manifest_then_a_failed_copy_rolls_back(
            PostgresServer.Instance db, MotoEmulator moto) throws Exception {
        List<List<String>> rows = TsvRows.hostileRows();
        String tsv = TsvRows.tsv(rows);
        Path file = Files.writeString(dir.resolve("rows.tsv"), tsv, UTF_8);
        assertThat(LoadRun.run(ENV, file.toString(), "--table", "warehouse", "--create", "--jdbc-url", db.jdbcUrl())
                .exit()).isZero();
        try (S3Client s3 = s3(moto)) {
            s3.createBucket(b -> b.bucket("tally-loads"));

            // Standard input in reads of at most 200 bytes: parts are cut at the first row end past 300 bytes.
            InputStream trickle = new FilterInputStream(new ByteArrayInputStream(tsv.getBytes(UTF_8))) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return super.read(b, off, Math.min(len, 200));
                }
            };
            LoadRun run = LoadRun.run(trickle, ENV, withUrlAnd(db, "-", "--table", "warehouse", "--append",
                    "--redshift", "s3://tally-loads/runs/one/", "--iam-role", ROLE, "--s3-endpoint", moto.endpoint().toString(),
                    "--part-bytes", "300"));

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("Redshift's COPY failed", "STL_LOAD_ERRORS", RedshiftLoad.LOAD_ERRORS_QUERY)
                    .doesNotContain(PostgresServer.PASSWORD);
            try (Connection c = db.connect()) {
                assertThat(TableRows.count(c, "warehouse")).isEqualTo(rows.size());
            }
            List<String> keys = s3.listObjectsV2(b -> b.bucket("tally-loads").prefix("runs/one/")).contents().stream()
                    .map(S3Object::key).sorted().toList();
            List<String> parts = keys.stream().filter(k -> k.contains("part-")).toList();
            assertThat(keys).contains("runs/one/manifest.json");
            assertThat(parts).hasSizeGreaterThan(2).first().isEqualTo("runs/one/part-00000.tsv.gz");

            String manifest = s3.getObjectAsBytes(b -> b.bucket("tally-loads").key("runs/one/manifest.json")).asUtf8String();
            assertThat(manifest).isEqualTo(S3Parts.manifest("tally-loads", parts));
            assertThat(manifest).contains("{\"url\":\"s3://tally-loads/runs/one/part-00000.tsv.gz\",\"mandatory\":true}");

            // Redshift reads the contract's escapes itself: the parts hold the rows' bytes unchanged,
            // each part whole rows.
            StringBuilder joined = new StringBuilder();
            List<String> partTexts = new ArrayList<>();
            for (String key : parts) {
                String text = gunzip(s3.getObject(b -> b.bucket("tally-loads").key(key)));
                partTexts.add(text);
                joined.append(text);
            }
            assertThat(joined.toString()).isEqualTo(tsv);
            assertThat(partTexts).allSatisfy(text -> assertThat(text).endsWith("\n"));
            assertThat(TsvRows.decode(partTexts.get(0))).allSatisfy(row -> assertThat(row).hasSize(20));

            // A bad row stops the load before anything is uploaded.
            Path bad = Files.writeString(dir.resolve("bad.tsv"), tsv + "short\trow\n", UTF_8);
            LoadRun refused = LoadRun.run(ENV, bad.toString(), "--table", "warehouse", "--append", "--jdbc-url", db.jdbcUrl(),
                    "--redshift", "s3://tally-loads/runs/bad", "--iam-role", ROLE, "--s3-endpoint", moto.endpoint().toString());
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("line " + (tsv.split("\n", -1).length) + ": expected 20");
            assertThat(s3.listObjectsV2(b -> b.bucket("tally-loads").prefix("runs/bad/")).contents()).isEmpty();

            // The guard runs before the upload too.
            LoadRun guarded = LoadRun.run(ENV, file.toString(), "--table", "warehouse", "--jdbc-url", db.jdbcUrl(),
                    "--redshift", "s3://tally-loads/runs/guarded", "--iam-role", ROLE, "--s3-endpoint", moto.endpoint().toString());
            assertThat(guarded.err()).contains("already has rows");
            assertThat(s3.listObjectsV2(b -> b.bucket("tally-loads").prefix("runs/guarded/")).contents()).isEmpty();
        }
    }

    private static String[] withUrlAnd(PostgresServer.Instance db, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, db.jdbcUrl());
        all.add(1, "--jdbc-url");
        return all.toArray(String[]::new);
    }

    private static S3Client s3(MotoEmulator moto) {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(moto.endpoint()).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build();
    }

    private static String gunzip(InputStream in) throws IOException {
        try (InputStream gz = new GZIPInputStream(in)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            gz.transferTo(out);
            return out.toString(UTF_8);
        }
    }
}
