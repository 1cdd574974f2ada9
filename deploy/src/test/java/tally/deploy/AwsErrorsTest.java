package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * AWS failures reach the user as messages that say what to do. The endpoint is a loopback HTTP server that
 * answers every EC2 call with one error, in EC2's own XML error format.
 */
@Tag("unit")
class AwsErrorsTest {
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", "tally-test");
        System.setProperty("aws.secretAccessKey", "tally-test");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void unauthorized_names_the_action_and_points_at_the_iam_policy() throws IOException {
        answerEveryCall(403, "UnauthorizedOperation", "You are not authorized to perform this operation.");

        String[] result = status();

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[1]).contains("not authorized to find the address of staging", "UnauthorizedOperation", "IAM policy");
    }

    @Test
    void missing_capacity_suggests_another_instance_type() throws IOException {
        answerEveryCall(400, "InsufficientInstanceCapacity", "We currently do not have sufficient t3.small capacity.");

        String[] result = status();

        assertThat(result[0]).isEqualTo("1");
        assertThat(result[1]).contains("AWS has no capacity", "--instance-type");
    }

    @Test
    void throttling_is_retried_then_reported_with_the_attempt_count() throws IOException {
        answerEveryCall(503, "RequestLimitExceeded", "Request limit exceeded.");

        String[] result = status();

        assertThat(result[0]).isEqualTo("1");
        assertThat(requests.get()).isEqualTo(3);
        assertThat(result[1]).contains("AWS throttled", "after 3 attempts", "RequestLimitExceeded");
    }

    @Test
    void an_error_without_a_code_as_s3_gives_for_a_head_is_described_rather_than_a_crash() {
        DeployException described = AwsErrors.describe("read s3://b/envs/staging/tls/cert.pem",
                software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(403)
                        .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                                .errorMessage("Forbidden").build()).build());

        assertThat(described.getMessage()).contains("AWS refused to read s3://b/envs/staging/tls/cert.pem",
                "no error code: Forbidden (HTTP 403");
    }

    private String[] status() {
        Cli.Run run = Cli.in(Map.of(), "--endpoint-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--bucket", "b", "--max-attempts", "3", "status", "--env", "staging");
        return new String[] {Integer.toString(run.exit()), run.err()};
    }

    private void answerEveryCall(int status, String code, String message) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code + "</Code><Message>"
                + message + "</Message></Error></Errors><RequestID>req-" + code + "</RequestID></Response>")
                .getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
