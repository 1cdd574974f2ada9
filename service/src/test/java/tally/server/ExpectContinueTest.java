package tally.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code Expect: 100-continue}, as curl sends it for any body over 1 MB: the client sends the head
 * alone and waits for the server's go-ahead. Each test sends the head and nothing more, so a server
 * that never answered would fail it by timeout, not by a timing threshold.
 */
@Tag("async")
@ExtendWith(TallyServerExtension.class)
class ExpectContinueTest {

    @Test
    void an_upload_that_passes_the_checks_gets_100_continue_before_it_sends_its_body(URI base) throws IOException {
        byte[] body = Bookmarks.MIXED.getBytes(UTF_8);
        try (Socket socket = connect(base)) {
            OutputStream out = socket.getOutputStream();
            out.write(head("POST /api/datasets?name=continued", "application/x-ndjson", body.length).getBytes(US_ASCII));
            out.flush();

            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 100 Continue");

            out.write(body);
            out.flush();
            String answer = readHead(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 201 Created").contains("Location: /api/datasets/");
        }
    }

    @Test
    void an_upload_refused_by_its_head_gets_the_final_answer_without_sending_its_body(URI base) throws IOException {
        try (Socket socket = connect(base)) {
            socket.getOutputStream().write(head("POST /api/datasets", "image/png", 5_000_000).getBytes(US_ASCII));
            socket.getOutputStream().flush();

            String answer = new String(socket.getInputStream().readAllBytes(), UTF_8);

            // The final answer and then the end of the connection: the 5 MB were never wanted.
            assertThat(answer).startsWith("HTTP/1.1 415 Unsupported Media Type")
                    .doesNotContain("100 Continue").contains("Content-Type image/png is not supported");
        }
    }

    @Test
    void an_upload_over_the_cap_is_refused_with_413_before_its_body(URI base) throws IOException {
        try (Socket socket = connect(base)) {
            socket.getOutputStream().write(head("PUT /api/datasets/too-big", "application/x-ndjson", 1L << 40)
                    .getBytes(US_ASCII));
            socket.getOutputStream().flush();

            assertThat(new String(socket.getInputStream().readAllBytes(), UTF_8))
                    .startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue");
        }
    }

    private static Socket connect(URI base) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout((int) ApiClient.TIMEOUT.toMillis());
        return socket;
    }

    private static String head(String requestLine, String contentType, long length) {
        return requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + length + "\r\nExpect: 100-continue\r\n\r\n";
    }

    /** One response head, up to its blank line; the body, if any, stays unread. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(US_ASCII);
    }
}
