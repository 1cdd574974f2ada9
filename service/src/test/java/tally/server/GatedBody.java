package tally.server;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.SubmissionPublisher;

/**
 * A request body the test releases piece by piece (chunked, no length), to hold an upload open.
 * A {@code Flow.Publisher} rather than an InputStream: the client's InputStream publisher reads one
 * buffer ahead, so it would not send a piece until the next one existed.
 */
final class GatedBody {
    private final SubmissionPublisher<ByteBuffer> publisher = new SubmissionPublisher<>();

    HttpRequest.BodyPublisher publisher() {
        return HttpRequest.BodyPublishers.fromPublisher(publisher);
    }

    void send(byte[] piece) {
        // Items published before the client subscribes would be lost.
        Eventually.await("the client subscribes to the body", Duration.ofSeconds(10),
                () -> publisher.getNumberOfSubscribers() > 0);
        publisher.submit(ByteBuffer.wrap(piece));
    }

    void end() {
        publisher.close();
    }
}
