package tally.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.ConcurrentHashMap;
import tally.store.DatasetMeta;

/**
 * The JSON body of a dataset, serialized once per metadata value. A profile of
 * {@code GET /api/datasets/{id}} under wrk showed Jackson writing the summary tree on every request
 * as the largest cost (22% of samples); metadata values are immutable and the store hands out the
 * same instance until the dataset changes, so a body is reused while its instance is current.
 */
final class MetaBodies {
    /** About 2 KB a body: the bound keeps the cache to a few megabytes. */
    private static final int MAX_ENTRIES = 2048;

    private record Body(DatasetMeta meta, byte[] bytes) {
    }

    private final ObjectMapper json;
    private final ConcurrentHashMap<String, Body> bodies = new ConcurrentHashMap<>();

    MetaBodies(ObjectMapper json) {
        this.json = json;
    }

    byte[] of(DatasetMeta meta) {
        Body body = bodies.get(meta.id());
        if (body != null && body.meta() == meta) {
            return body.bytes();
        }
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(meta);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialize dataset " + meta.id(), e);
        }
        if (bodies.size() >= MAX_ENTRIES) {
            bodies.clear();
        }
        bodies.put(meta.id(), new Body(meta, bytes));
        return bytes;
    }

    void forget(String id) {
        bodies.remove(id);
    }
}
