package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import tally.auth.TokenFile;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/** The token list of an environment, in moto's S3, read back with the service's own parser. */
@Tag("deploy")
@ExtendWith(MotoServer.class)
class EnvTokensTest {
    private static final Instant NOW = Instant.parse("2026-12-06T18:00:00Z");
    private final AwsClients aws;
    private final String bucket;

    EnvTokensTest(MotoEmulator moto) {
        this.aws = new AwsClients("us-east-1", moto.endpoint(), 2);
        this.bucket = "tokens-" + Long.toString(System.nanoTime(), 36);
        aws.s3().createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void close() {
        aws.close();
    }

    private EnvTokens tokens() {
        return new EnvTokens(aws.s3(), bucket, "staging");
    }

    private String stored() {
        return aws.s3().getObjectAsBytes(b -> b.bucket(bucket).key(EnvTokens.key("staging"))).asUtf8String();
    }

    @Test
    void a_created_token_is_stored_only_as_its_digest_and_the_service_accepts_that_list() {
        EnvTokens.Created created = tokens().create("ci", "alice@laptop pid 1", NOW);

        String text = stored();
        assertThat(text).doesNotContain(created.token()).contains("ci: sha256:" + created.sha256(),
                "created 2026-12-06T18:00:00Z by alice@laptop pid 1");
        List<TokenFile.Entry> parsed = TokenFile.parse(text, "list");
        assertThat(parsed).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("ci");
            assertThat(HexFormat.of().formatHex(e.digest())).isEqualTo(created.sha256());
        });
        assertThat(TokenFile.digest(created.token())).isEqualTo(parsed.get(0).digest());
        assertThat(tokens().list()).extracting(EnvTokens.Entry::name, EnvTokens.Entry::createdBy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ci", "alice@laptop pid 1"));
    }

    @Test
    void names_are_unique_and_checked_and_revoking_an_unknown_name_says_so() {
        tokens().create("ci", "me", NOW);

        assertThatThrownBy(() -> tokens().create("ci", "me", NOW)).hasMessageContaining("already has a token named ci");
        assertThatThrownBy(() -> tokens().create("has space", "me", NOW)).hasMessageContaining("1-64 letters");
        assertThatThrownBy(() -> tokens().create("sha256", "me", NOW)).hasMessageContaining("not sha256");
        assertThatThrownBy(() -> tokens().revoke("nobody")).hasMessageContaining("has no token named nobody");
        assertThat(tokens().revoke("ci").name()).isEqualTo("ci");
        assertThat(tokens().list()).isEmpty();
        assertThat(TokenFile.parse(stored(), "list")).isEmpty();
    }

    @Test
    void tokens_made_at_the_same_time_are_all_kept() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<EnvTokens.Created>> made = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String name = "t" + i;
                made.add(pool.submit(() -> tokens().create(name, "me", NOW)));
            }
            for (Future<EnvTokens.Created> f : made) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(tokens().list()).extracting(EnvTokens.Entry::name)
                .containsExactlyInAnyOrder("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7");
    }

    @Test
    void a_line_written_by_hand_is_not_silently_dropped() {
        aws.s3().putObject(b -> b.bucket(bucket).key(EnvTokens.key("staging")),
                RequestBody.fromString("ci: plain-token-0123456789abcdef\n"));

        assertThatThrownBy(() -> tokens().create("other", "me", NOW)).hasMessageContaining("line 1 is not one tally-deploy writes")
                .hasMessageNotContaining("plain-token");
    }

    @Test
    void ensuring_the_list_writes_an_empty_one_once_and_keeps_tokens_made_before() {
        tokens().ensureList();
        assertThat(TokenFile.parse(stored(), "list")).isEmpty();

        tokens().create("ci", "me", NOW);
        tokens().ensureList();

        assertThat(tokens().list()).extracting(EnvTokens.Entry::name).containsExactly("ci");
    }

    @Test
    void a_token_made_with_a_lifetime_carries_its_expiry_where_the_service_reads_it() {
        EnvTokens.Created created = tokens().create("pipeline", "me", NOW, java.time.Duration.ofDays(90));

        assertThat(created.expires()).isEqualTo("2027-03-06T18:00:00Z");
        assertThat(stored()).contains("pipeline: sha256:" + created.sha256() + " expires=2027-03-06T18:00:00Z  # created");
        assertThat(TokenFile.parse(stored(), "list")).singleElement()
                .satisfies(e -> assertThat(e.expires()).isEqualTo(Instant.parse("2027-03-06T18:00:00Z")));
        EnvTokens.Entry listed = tokens().list().get(0);
        assertThat(listed.expires()).isEqualTo("2027-03-06T18:00:00Z");
        assertThat(listed.expiredAt(Instant.parse("2027-03-06T17:59:59Z"))).isFalse();
        assertThat(listed.expiredAt(Instant.parse("2027-03-06T18:00:00Z"))).isTrue();
        assertThatThrownBy(() -> tokens().create("never", "me", NOW, java.time.Duration.ZERO))
                .hasMessageContaining("lifetime must be positive");
    }
}
