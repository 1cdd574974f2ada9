package tally.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.websockets.core.WebSocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import tally.job.Progress;
import tally.store.DatasetMeta;
import tally.store.DatasetStatus;
import tally.store.DatasetStore;

/**
 * Who watches which dataset, and what they are told. A subscriber gets the current state at once
 * (waiting, running, or the final event of a finished dataset), then a running event every tick
 * while the upload runs (five a second: smooth enough for a progress bar, cheap enough for many
 * watchers), then the final event and a 1000 close. Subscribing before the upload starts is the
 * normal case for the web UI, which subscribes before its PUT.
 *
 * <p>Each open WebSocket holds a connection and a little memory, and one that waits for an upload
 * that never comes would hold them until the client left: so at most {@code maxWatchers} are open at
 * once (one more is closed at once with 1013, "try again later"), and one still waiting after
 * {@code waitLimit} is closed with 1000 and a reason that says so.
 *
 * <p>With a store shared by several instances, the upload may run on another instance than the one
 * a subscriber is connected to. For datasets watched here without an upload here, the store is asked
 * once a second ({@link #POLL_TICKS}); when the dataset is complete or failed there, the subscribers
 * get its final event. They see {@code waiting} until then: the running counts live in the other
 * instance's memory only.
 */
public final class ProgressHub {
    static final long TICK_MILLIS = 200;
    /** Every fifth tick (once a second): a read of the store per dataset watched without a local upload. */
    static final int POLL_TICKS = 5;
    private static final Logger LOG = Logger.getLogger(ProgressHub.class.getName());

    private final ObjectMapper json;
    private final DatasetStore store;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> ticker;
    private final ScheduledExecutorService scheduler;
    private final int maxWatchers;
    private final Duration waitLimit;
    private final AtomicInteger watchers = new AtomicInteger();
    private int ticks;

    public ProgressHub(ObjectMapper json, DatasetStore store, ScheduledExecutorService scheduler, int maxWatchers,
            Duration waitLimit) {
        this.json = json;
        this.store = store;
        this.scheduler = scheduler;
        this.maxWatchers = maxWatchers;
        this.waitLimit = waitLimit;
        this.ticker = scheduler.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static final class Topic {
        final Set<ProgressSubscriber> subscribers = ConcurrentHashMap.newKeySet();
        volatile Supplier<Progress> source;
    }

    void subscribe(String id, WebSocketChannel channel) {
        ProgressSubscriber subscriber = new ProgressSubscriber(channel);
        if (watchers.incrementAndGet() > maxWatchers) {
            watchers.decrementAndGet();
            subscriber.close(1013, "too many progress watchers; try again later");
            return;
        }
        channel.addCloseTask(ch -> watchers.decrementAndGet());
        // Read before the compute below: a remote store's read must not run under the map's lock.
        Optional<DatasetMeta> stored = ended(id);
        topics.compute(id, (key, topic) -> {
            if (topic == null || topic.source == null) {
                if (stored.isPresent()) {
                    DatasetMeta meta = stored.get();
                    subscriber.finish(encode(meta.isComplete() ? ProgressEvent.complete(meta)
                            : ProgressEvent.failed(meta)), 1000, meta.status().json());
                    return topic;
                }
            }
            Topic t = topic != null ? topic : new Topic();
            Supplier<Progress> source = t.source;
            subscriber.offer(encode(source == null ? ProgressEvent.WAITING : ProgressEvent.running(source.get())));
            t.subscribers.add(subscriber);
            if (source == null) {
                scheduler.schedule(() -> expireIfWaiting(id, subscriber), waitLimit.toMillis(), TimeUnit.MILLISECONDS);
            }
            return t;
        });
        channel.addCloseTask(ch -> unsubscribe(id, subscriber));
    }

    /** The dataset if the store has it complete or failed; empty while unknown, in progress, or unreadable. */
    private Optional<DatasetMeta> ended(String id) {
        try {
            return store.find(id).filter(meta -> meta.status() != DatasetStatus.IN_PROGRESS);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "could not read dataset " + id + " for its watchers", e);
            return Optional.empty();
        }
    }

    /** Closes {@code subscriber} if no upload of {@code id} has started since it subscribed. */
    private void expireIfWaiting(String id, ProgressSubscriber subscriber) {
        Topic topic = topics.get(id);
        if (topic != null && topic.source == null && topic.subscribers.contains(subscriber)) {
            subscriber.close(1000, "no upload of " + id + " started within " + waitLimit.toSeconds() + " s");
        }
    }

    private void unsubscribe(String id, ProgressSubscriber subscriber) {
        topics.computeIfPresent(id, (key, topic) -> {
            topic.subscribers.remove(subscriber);
            return topic.subscribers.isEmpty() && topic.source == null ? null : topic;
        });
    }

    /** An upload of {@code id} started; its progress is read from {@code source} every tick. */
    public void started(String id, Supplier<Progress> source) {
        topics.compute(id, (key, topic) -> {
            Topic t = topic != null ? topic : new Topic();
            t.source = source;
            String event = encode(ProgressEvent.running(source.get()));
            t.subscribers.forEach(s -> s.offer(event));
            return t;
        });
    }

    /** The upload ended; subscribers get {@code last} and a 1000 close. Call after the store knows. */
    public void finished(String id, ProgressEvent last) {
        topics.compute(id, (key, topic) -> {
            if (topic != null) {
                String event = encode(last);
                topic.subscribers.forEach(s -> s.finish(event, 1000, last.state()));
            }
            return null;
        });
    }

    private void tick() {
        boolean poll = ++ticks % POLL_TICKS == 0;
        for (Map.Entry<String, Topic> e : topics.entrySet()) {
            Topic topic = e.getValue();
            Supplier<Progress> source = topic.source;
            if (source != null && !topic.subscribers.isEmpty()) {
                String event = encode(ProgressEvent.running(source.get()));
                topic.subscribers.forEach(s -> s.offer(event));
            } else if (source == null && poll && !topic.subscribers.isEmpty()) {
                pollStore(e.getKey());
            }
        }
    }

    /** A dataset watched here and uploaded elsewhere: its final event once the store has it. */
    private void pollStore(String id) {
        Optional<DatasetMeta> stored = ended(id);
        if (stored.isEmpty()) {
            return;
        }
        DatasetMeta meta = stored.get();
        ProgressEvent last = meta.isComplete() ? ProgressEvent.complete(meta) : ProgressEvent.failed(meta);
        topics.computeIfPresent(id, (key, topic) -> {
            if (topic.source != null) {
                return topic; // an upload started here meanwhile: it will tell its own end
            }
            String event = encode(last);
            topic.subscribers.forEach(s -> s.finish(event, 1000, meta.status().json()));
            return null;
        });
    }

    /** Closes every WebSocket (1001 on shutdown: "going away"). */
    public void closeAll(int code, String reason) {
        ticker.cancel(false);
        topics.values().forEach(t -> t.subscribers.forEach(s -> s.close(code, reason)));
    }

    private String encode(ProgressEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
