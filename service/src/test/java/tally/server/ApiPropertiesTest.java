package tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quicktheories.QuickTheory;

/**
 * A property-based run of the API against a server on loopback: requests generated from openapi.json
 * ({@link ApiCalls}) for a bounded time, each answered as the document says ({@link ApiContract}, through
 * {@link ApiClient}), never with a 5xx, and in agreement with the document's rules both ways: what its
 * schemas forbid (an id off the pattern, a name with a control character, a limit of 0) is refused with a
 * 4xx, and what they allow, with a body the server takes, is not.
 *
 * <p>Run longer or replay a failure with QuickTheories' system properties: {@code -DQT_TESTING_TIME=120000}
 * (milliseconds), {@code -DQT_SEED=...} (a failure prints its seed).
 */
@Tag("async")
class ApiPropertiesTest {
    private static final Logger LOG = Logger.getLogger(ApiPropertiesTest.class.getName());
    /** Small, so that over-sized bodies are cheap to send. */
    static final int CAP = 64 * 1024;
    /** The run's budget: a share of the async stage that finds the server's slips in practice. */
    static final long BUDGET_SECONDS = 25;
    /** The sequence CI runs (see the test). */
    private static final long SEED = 20_261_206L;
    /** Every request here is small: one unanswered for this long is a hang, not a slow machine. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "DELETE", "PATCH");
    private static final List<String> KNOWN_IDS = List.of("known-1", "known-2", "known-3");

    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension(c -> c.maxUploadBytes(CAP));

    private final ApiClient api = new ApiClient(SERVER.baseUri());

    @Test
    void generated_requests_are_answered_as_the_document_says() {
        for (String id : KNOWN_IDS) {
            assertThat(api.send(api.request("/api/datasets/" + id + "?name=" + id)
                    .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build()).statusCode()).isEqualTo(201);
        }
        String cursor = api.json(api.get("/api/datasets?limit=1")).get("next_cursor").asText();
        ApiCalls calls = new ApiCalls(ApiContract.document(), KNOWN_IDS, List.of(cursor), CAP);
        AtomicInteger sent = new AtomicInteger();
        Set<Integer> statuses = new TreeSet<>();

        // A fixed seed, so that CI explores the same sequence every time (a slower machine a shorter prefix of
        // it) and cannot fail on a request no run here has seen; -DQT_SEED explores elsewhere.
        QuickTheory theory = System.getProperty("QT_SEED") == null ? qt().withFixedSeed(SEED) : qt();
        theory.withExamples(100_000).withTestingTime(BUDGET_SECONDS, TimeUnit.SECONDS).withShrinkCycles(20)
                .forAll(calls.calls())
                .checkAssert(call -> {
                    sent.incrementAndGet();
                    statuses.add(answer(call));
                });

        LOG.info(() -> sent + " generated requests; statuses " + statuses + " (0: cut)");
        assertThat(sent.get()).as("requests sent").isPositive();
    }

    /** Sends the call (ApiClient holds the response to the document) and checks what the document promises for it. */
    private int answer(ApiCalls.Call call) {
        HttpRequest.Builder request = api.request(call.target()).timeout(ANSWER_TIMEOUT).method(call.method(),
                call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        call.headers().forEach(request::header);
        HttpResponse<String> response;
        try {
            response = api.send(request.build());
        } catch (IllegalStateException e) {
            if (call.bodyKind() == ApiCalls.BodyKind.OVERSIZE && e.getCause().getCause() instanceof IOException) {
                // Refused before its body was read, the connection closes (Problems.send): a client still sending
                // may see it cut before it reads the answer (RFC 9112, section 9.6). curl reads it; the JDK's
                // client sometimes does not.
                return 0;
            }
            throw new AssertionError(call + " got no answer: " + e.getCause(), e);
        }
        int status = response.statusCode();
        String what = call + " answered " + status + " " + response.body();

        assertThat(status).as(what).isLessThan(500);
        if (call.foreign() && UNSAFE.contains(call.method())) {
            assertThat(status).as(what).isEqualTo(403);
        } else if (!call.documented()) {
            assertThat(status).as(what).isEqualTo(call.template() == null || call.escapesQuestionMark() ? 404 : 405);
        } else if (!call.parametersValid() || call.bodyKind() != null && !call.bodyKind().acceptable) {
            assertThat(status).as("refused, as the document says: " + what).isBetween(400, 499);
        } else if (!call.opaqueCursor() && !call.template().startsWith("/ws/")) {
            assertThat(status).as("taken, as the document says: " + what).isIn(expectedSuccess(call));
        }
        return status;
    }

    /** A valid request may still find the dataset missing (404), taken or not complete (409). */
    private static List<Integer> expectedSuccess(ApiCalls.Call call) {
        return switch (call.method()) {
            case "POST" -> List.of(201);
            case "PUT" -> List.of(201, 409);
            case "DELETE" -> List.of(204, 404, 409);
            default -> List.of(200, 404, 409);
        };
    }
}
