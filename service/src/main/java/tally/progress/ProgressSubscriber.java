package tally.progress;

import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.xnio.IoUtils;

/**
 * One WebSocket watching one dataset. Undertow queues outgoing frames without limit, so a slow
 * client would make the server buffer every tick: instead at most one frame is in flight and only
 * the latest unsent event is kept (newer progress replaces older).
 */
final class ProgressSubscriber {
    private final WebSocketChannel channel;
    private String pending;
    private boolean sending;
    private CloseMessage closeAfterSend;

    ProgressSubscriber(WebSocketChannel channel) {
        this.channel = channel;
    }

    WebSocketChannel channel() {
        return channel;
    }

    synchronized void offer(String message) {
        if (closeAfterSend == null) {
            pending = message;
            pump();
        }
    }

    /** Sends this last message, then closes with {@code code}. */
    synchronized void finish(String message, int code, String reason) {
        if (closeAfterSend == null) {
            pending = message;
            closeAfterSend = new CloseMessage(code, reason);
            pump();
        }
    }

    /** Closes without a last message (shutdown: 1001). */
    synchronized void close(int code, String reason) {
        if (closeAfterSend == null) {
            closeAfterSend = new CloseMessage(code, reason);
            pump();
        }
    }

    private void pump() {
        if (sending || !channel.isOpen()) {
            return;
        }
        if (pending == null) {
            if (closeAfterSend != null) {
                sending = true;
                WebSockets.sendClose(closeAfterSend, channel, null);
            }
            return;
        }
        String message = pending;
        pending = null;
        sending = true;
        WebSockets.sendText(message, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel ch, Void context) {
                synchronized (ProgressSubscriber.this) {
                    sending = false;
                    pump();
                }
            }

            @Override
            public void onError(WebSocketChannel ch, Void context, Throwable error) {
                IoUtils.safeClose(ch);
            }
        });
    }
}
