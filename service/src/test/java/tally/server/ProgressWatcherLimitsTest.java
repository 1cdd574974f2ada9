package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WebSockets watching progress are bounded in number and in how long they wait for an upload. */
@Tag("async")
class ProgressWatcherLimitsTest {
    @RegisterExtension
    final TallyServerExtension server = new TallyServerExtension(c -> c.progressLimits(2, Duration.ofSeconds(1)));

    private ApiClient api() {
        return new ApiClient(server.baseUri());
    }

    @Test
    void a_watcher_whose_upload_never_starts_is_closed_once_the_wait_limit_passes() {
        ApiClient api = api();
        SocketProbe probe = SocketProbe.connect(api.http, api.base, "/ws/datasets/never");

        assertThat(probe.next()).contains("\"waiting\"");
        assertThat(ApiClient.await(probe.closeCode)).isEqualTo(1000);
        assertThat(ApiClient.await(probe.closeReason)).isEqualTo("no upload of never started within 1 s");
    }

    @Test
    void a_watcher_whose_upload_starts_in_time_sees_it_to_the_end() {
        ApiClient api = api();
        SocketProbe probe = SocketProbe.connect(api.http, api.base, "/ws/datasets/prompt");
        assertThat(probe.next()).contains("\"waiting\"");

        assertThat(api.send(api.request("/api/datasets/prompt").PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED))
                .build()).statusCode()).isEqualTo(201);

        assertThat(ApiClient.await(probe.closeCode)).isEqualTo(1000);
        assertThat(ApiClient.await(probe.closeReason)).isEqualTo("complete");
    }

    @Test
    void one_watcher_past_the_limit_is_turned_away_with_1013_and_a_freed_place_is_taken_again() {
        ApiClient api = api();
        SocketProbe first = SocketProbe.connect(api.http, api.base, "/ws/datasets/a");
        SocketProbe second = SocketProbe.connect(api.http, api.base, "/ws/datasets/b");
        assertThat(first.next()).contains("\"waiting\"");
        assertThat(second.next()).contains("\"waiting\"");

        SocketProbe third = SocketProbe.connect(api.http, api.base, "/ws/datasets/c");

        assertThat(ApiClient.await(third.closeCode)).isEqualTo(1013);
        assertThat(ApiClient.await(third.closeReason)).isEqualTo("too many progress watchers; try again later");
        assertThat(third.messages).isEmpty();

        // The first two are closed by the wait limit; then there is room again.
        assertThat(ApiClient.await(first.closeCode)).isEqualTo(1000);
        assertThat(ApiClient.await(second.closeCode)).isEqualTo(1000);
        // The server counts a watcher out when its side of the close completes, a moment after the client's.
        Eventually.await("a place is free again", Duration.ofSeconds(10), () -> {
            SocketProbe again = SocketProbe.connect(api.http, api.base, "/ws/datasets/d");
            try {
                String message = again.messages.poll(2, TimeUnit.SECONDS);
                return message != null && message.contains("\"waiting\"");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                again.socket.abort();
            }
        });
    }
}
