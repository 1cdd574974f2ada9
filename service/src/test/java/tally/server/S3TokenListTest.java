package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/**
 * A token list kept in S3 ({@code --token-file s3://BUCKET/KEY}), as deployed environments have it: the
 * server polls it, so tokens come and go without a restart, and an environment with no list yet is closed.
 */
@Tag("deploy")
@ExtendWith(MotoServer.class)
class S3TokenListTest {
    private static final Duration PICKUP = Duration.ofSeconds(30);

    private static int deleteWith(ApiClient api, String token) {
        return api.send(api.request("/api/datasets/nothing-here").header("Authorization", "Bearer " + token)
                .DELETE().build()).statusCode();
    }

    @Test
    void tokens_written_to_the_object_are_taken_up_and_removing_the_object_closes_writes_again(
            MotoEmulator moto, @TempDir Path dir) throws IOException {
        String bucket = moto.newBucket();
        String key = "envs/test/tokens";
        TallyServer server = TallyServer.start(ServerConfig.builder().host("127.0.0.1").port(0).dataDir(dir)
                .tokenFile("s3://" + bucket + "/" + key).s3Endpoint(moto.endpoint()).build());
        try {
            ApiClient api = new ApiClient(server.baseUri());
            assertThat(api.get("/readyz").statusCode()).as("no list yet is a list with no token").isEqualTo(200);
            assertThat(deleteWith(api, TokenFiles.CI)).isEqualTo(401);

            moto.client().putObject(b -> b.bucket(bucket).key(key),
                    RequestBody.fromString("ci: sha256:" + TokenFiles.sha256(TokenFiles.CI) + "  # made by a test\n"));
            // Each check with a token not taken up yet is a wrong token, and ten a minute get the client throttled:
            // at most four here, since the list is polled every 5 s.
            Eventually.await("the new token is accepted", PICKUP, Duration.ofMillis(1500),
                    () -> deleteWith(api, TokenFiles.CI) == 404);
            HttpResponse<String> anonymous = api.postLines("anonymous", Bookmarks.MIXED);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            // The gauges are set just after each read: the one that took the token up may still be finishing.
            Eventually.await("the token gauges", PICKUP, () -> api.get("/metrics").body()
                    .contains("tally_auth_tokens{state=\"live\"} 1.0"));
            assertThat(api.get("/metrics").body()).contains("tally_auth_tokens{state=\"expired\"} 0.0",
                    "tally_auth_token_list_current 1.0");

            moto.client().deleteObject(b -> b.bucket(bucket).key(key));
            Eventually.await("the token is refused once the list is gone", PICKUP,
                    () -> deleteWith(api, TokenFiles.CI) == 401);
        } finally {
            server.stop();
        }
    }

    @Test
    void a_server_that_cannot_reach_its_token_list_starts_refusing_writes_and_not_ready(@TempDir Path dir)
            throws IOException {
        URI nothingListens;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            nothingListens = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        TallyServer server = TallyServer.start(ServerConfig.builder().host("127.0.0.1").port(0).dataDir(dir)
                .tokenFile("s3://tally-nowhere/envs/test/tokens").s3Endpoint(nothingListens).build());
        try {
            ApiClient api = new ApiClient(server.baseUri());
            HttpResponse<String> ready = api.get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("token list s3://tally-nowhere/envs/test/tokens is not read yet");
            assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
            assertThat(deleteWith(api, TokenFiles.CI)).isEqualTo(401);
            assertThat(api.get("/metrics").body()).contains("tally_auth_token_list_current 0.0");
        } finally {
            server.stop();
        }
    }
}
