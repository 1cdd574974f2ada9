package tally.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object keys of an {@link S3DatasetStore}, all under the store's prefix:
 * <ul>
 * <li>{@code claims/ID}: the id is taken (written with {@code If-None-Match: *} when an upload starts,
 *     re-written as its heartbeat, removed last when the dataset is deleted);
 * <li>{@code index/INVERTED-ID}: one empty object per dataset, {@code INVERTED} being 13 digits of
 *     {@code 9999999999999 - created epoch millis}, so a plain listing (ascending keys) is newest first;
 * <li>{@code data/ID/TOKEN/input.lz4} and {@code data/ID/TOKEN/rows.tsv}: the data, under a token fresh
 *     for each upload, so two writers of one id never write the same key;
 * <li>{@code meta/ID.json}: the commit, written last with {@code If-None-Match: *}; its {@code token}
 *     user metadata names the data it completes.
 * </ul>
 * A page cursor is the last index key of the previous page (without the prefix), base64url-encoded.
 */
final class S3Keys {
    static final String INPUT = "input.lz4";
    static final String ROWS = "rows.tsv";
    /** 13 digits hold every epoch millisecond until the year 2286. */
    private static final long MAX_MILLIS = 9_999_999_999_999L;
    private static final Pattern INDEX = Pattern.compile("(\\d{13})-([A-Za-z0-9_-]{1,64})");
    private static final Pattern DATA = Pattern.compile("([A-Za-z0-9_-]{1,64})/([A-Za-z0-9]{1,64})/.*");

    private final String prefix;

    S3Keys(String prefix) {
        this.prefix = prefix;
    }

    /** One entry of the index: which dataset, and when it was created (to the millisecond). */
    record IndexEntry(String key, String id, Instant created) {
    }

    /** One data object's dataset and upload token. */
    record DataRef(String id, String token) {
    }

    String claims() {
        return prefix + "claims/";
    }

    String claim(String id) {
        return claims() + id;
    }

    String metas() {
        return prefix + "meta/";
    }

    String meta(String id) {
        return metas() + id + ".json";
    }

    /** The id of a meta key, or null for a key that is none. */
    String idOfMeta(String key) {
        if (!key.startsWith(metas()) || !key.endsWith(".json")) {
            return null;
        }
        String id = key.substring(metas().length(), key.length() - ".json".length());
        return DatasetIds.isValid(id) ? id : null;
    }

    String idOfClaim(String key) {
        String id = key.startsWith(claims()) ? key.substring(claims().length()) : "";
        return DatasetIds.isValid(id) ? id : null;
    }

    String indexes() {
        return prefix + "index/";
    }

    String index(Instant created, String id) {
        long millis = created.toEpochMilli();
        if (millis < 0 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException("creation time out of range: " + created);
        }
        return indexes() + String.format("%013d", MAX_MILLIS - millis) + "-" + id;
    }

    /** The entry of an index key, or null for a key that is none. */
    IndexEntry parseIndex(String key) {
        if (!key.startsWith(indexes())) {
            return null;
        }
        Matcher m = INDEX.matcher(key.substring(indexes().length()));
        if (!m.matches()) {
            return null;
        }
        return new IndexEntry(key, m.group(2), Instant.ofEpochMilli(MAX_MILLIS - Long.parseLong(m.group(1))));
    }

    String data() {
        return prefix + "data/";
    }

    String dataOf(String id) {
        return data() + id + "/";
    }

    String data(String id, String token, String file) {
        return dataOf(id) + token + "/" + file;
    }

    /** The dataset and token of a data key, or null for a key that is none. */
    DataRef parseData(String key) {
        if (!key.startsWith(data())) {
            return null;
        }
        Matcher m = DATA.matcher(key.substring(data().length()));
        return m.matches() ? new DataRef(m.group(1), m.group(2)) : null;
    }

    String cursorAfter(String indexKey) {
        String tail = indexKey.substring(indexes().length());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(tail.getBytes(StandardCharsets.UTF_8));
    }

    /** The key to list after; throws IllegalArgumentException (a 400) for anything but a cursor this class made. */
    String startAfter(String cursor) {
        String tail;
        try {
            tail = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            tail = "";
        }
        if (!INDEX.matcher(tail).matches()) {
            throw new IllegalArgumentException("invalid cursor: pass back the next_cursor of a previous page");
        }
        return indexes() + tail;
    }
}
