package tally.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that hold a connection without sending: a stalled body, a trickle, a half-sent head, and one
 * client opening upload after upload. The server's limits are set short here; each test waits for the
 * outcome with a generous timeout rather than timing it.
 */
@Tag("async")
class SlowClientsTest {
    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension(c -> c.maxConcurrentUploads(4)
            .maxUploadsPerClient(2).uploadIdleTimeout(Duration.ofSeconds(2)).uploadMinBytesPerSecond(1000)
            .requestHeadTimeout(Duration.ofSeconds(2)));
    /** No minimum rate, so that only the idle rule can end an upload. */
    @RegisterExtension
    static final TallyServerExtension IDLE_ONLY = new TallyServerExtension(c -> c
            .uploadIdleTimeout(Duration.ofSeconds(2)).uploadMinBytesPerSecond(0));

    @Test
    void an_upload_that_stops_sending_is_ended_with_408_and_leaves_nothing() throws IOException {
        URI base = IDLE_ONLY.baseUri();
        try (Socket socket = connect(base, "127.0.0.1")) {
            sendHead(socket, "PUT /api/datasets/stalled", 100_000);
            socket.getOutputStream().write("{\"id\"".getBytes(UTF_8));

            String answer = new String(socket.getInputStream().readAllBytes(), UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("sent nothing for")
                    .contains("--upload-idle-timeout");
        }
        ApiClient api = new ApiClient(base);
        assertThat(api.get("/api/datasets/stalled").statusCode()).isEqualTo(404);
        assertThat(IDLE_ONLY.dataDir().resolve("datasets/stalled")).doesNotExist();
        assertThat(api.get("/metrics").body()).contains("tally_uploads_refused_or_cut_total{reason=\"idle\"} 1.0");
    }

    @Test
    void an_upload_that_trickles_below_the_minimum_rate_is_ended_with_408() throws Exception {
        URI base = SERVER.baseUri();
        try (Socket socket = connect(base, "127.0.0.1")) {
            sendHead(socket, "PUT /api/datasets/trickle", 100_000);
            AtomicBoolean answered = new AtomicBoolean();
            Thread trickle = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    while (!answered.get()) {
                        out.write(' ');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // The server closed the connection: the trickle is over.
                }
            });
            trickle.start();

            String answer = new String(socket.getInputStream().readAllBytes(), UTF_8);
            answered.set(true);
            trickle.join();

            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("below the minimum of 1000 bytes/s");
        }
        assertThat(new ApiClient(base).get("/api/datasets/trickle").statusCode()).isEqualTo(404);
    }

    @Test
    void one_client_cannot_take_every_upload_slot_and_another_still_uploads() throws IOException {
        URI base = SERVER.baseUri();
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket socket = connect(base, "127.0.0.1");
                held.add(socket);
                sendHead(socket, "PUT /api/datasets/held-" + i, 100_000);
                socket.getOutputStream().write(' ');
            }
            ApiClient api = new ApiClient(base);
            Eventually.await("both uploads run", Duration.ofSeconds(30),
                    () -> api.get("/api/datasets/held-1").statusCode() == 200);

            try (Socket third = connect(base, "127.0.0.1")) {
                sendHead(third, "PUT /api/datasets/third", 10);
                String answer = new String(third.getInputStream().readAllBytes(), UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 429 Too Many Requests").contains("Retry-After: 5")
                        .contains("the most one client may run at once");
            }
            // Another address on the loopback network is another client, and it gets a slot.
            try (Socket other = connect(base, "127.0.0.2")) {
                byte[] body = Bookmarks.MIXED.getBytes(UTF_8);
                sendHead(other, "PUT /api/datasets/other", body.length);
                other.getOutputStream().write(body);
                assertThat(readStatusLine(other.getInputStream())).startsWith("HTTP/1.1 201");
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void a_request_head_that_never_ends_has_its_connection_closed() throws IOException {
        URI base = SERVER.baseUri();
        try (Socket socket = connect(base, "127.0.0.1")) {
            socket.getOutputStream().write("POST /api/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty".getBytes(US_ASCII));
            socket.getOutputStream().flush();

            // The server gives up on the head and closes: end of stream, not a read timeout.
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(new ApiClient(base).get("/healthz").statusCode()).isEqualTo(200);
    }

    private static Socket connect(URI base, String fromAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
        socket.setSoTimeout((int) ApiClient.TIMEOUT.toMillis());
        return socket;
    }

    private static void sendHead(Socket socket, String requestLine, long length) throws IOException {
        socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n"
                + "Content-Length: " + length + "\r\n\r\n").getBytes(US_ASCII));
        socket.getOutputStream().flush();
    }

    private static String readStatusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString();
    }
}
