package tally.job;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Counts byte-string keys (UTF-8) without making a String per occurrence.
 *
 * <p>Exact while at most {@code maxEntries} distinct keys are seen. Past that, the least counted
 * half is dropped and the largest dropped count becomes {@link #error()}: a key seen later starts at
 * that count (the over-estimate of Space-Saving / lossy counting), so every key whose true count
 * exceeds the error is still held and no held count is too low or too high by more than the error.
 */
final class ByteCounts implements Serializable {
    private static final long serialVersionUID = 1L;
    /** A key and its count. */
    record Entry(String key, long count) implements Serializable {
    }

    private final int maxEntries;
    private byte[] keys = new byte[256];
    private int keysLen;
    private int[] keyOff = new int[16];
    private int[] keyLen = new int[16];
    private int[] hashes = new int[16];
    private long[] counts = new long[16];
    private int size;
    private int[] table = new int[32];
    private long error;

    ByteCounts(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    long error() {
        return error;
    }

    boolean approximate() {
        return error > 0;
    }

    int size() {
        return size;
    }

    void add(byte[] b, int off, int len, long n) {
        int hash = hash(b, off, len);
        int mask = table.length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            int e = table[slot] - 1;
            if (e < 0) {
                insert(b, off, len, hash, slot, n);
                return;
            }
            if (hashes[e] == hash && sameKey(e, b, off, len)) {
                counts[e] += n;
                return;
            }
        }
    }

    /**
     * A new key at the free {@code slot}. Kept apart from the probe loop of {@link #add}, which
     * nearly every call ends in, so a caller that meets new keys rarely (merge, the calendar keys)
     * gets a small inlined hit path: C2 does not inline a call site taken only a few times.
     */
    private void insert(byte[] b, int off, int len, int hash, int slot, long n) {
        if (size == maxEntries) {
            prune();
            add(b, off, len, n);
            return;
        }
        append(b, off, len, hash, n + error);
        table[slot] = size;
        if (size * 2 > table.length) {
            rehash(table.length * 2);
        }
    }

    /** Forgets every key; the arrays stay, grown as they are, for the next run of lines. */
    void clear() {
        Arrays.fill(table, 0);
        keysLen = 0;
        size = 0;
        error = 0;
    }

    /** Adds every count of {@code other}; errors add up too. */
    void merge(ByteCounts other) {
        for (int e = 0; e < other.size; e++) {
            add(other.keys, other.keyOff[e], other.keyLen[e], other.counts[e]);
        }
        error += other.error;
    }

    /** Every entry, in no particular order. */
    List<Entry> entries() {
        List<Entry> list = new ArrayList<>(size);
        for (int e = 0; e < size; e++) {
            list.add(new Entry(new String(keys, keyOff[e], keyLen[e], UTF_8), counts[e]));
        }
        return list;
    }

    /** The {@code n} largest counts, ties broken by the key's bytes (unsigned). */
    List<Entry> top(int n) {
        // A min-heap of the best n so far: one pass, no sort of every distinct key.
        PriorityQueue<Integer> best = new PriorityQueue<>(n + 1, (x, y) -> compareRank(y, x));
        for (int e = 0; e < size; e++) {
            if (best.size() < n) {
                best.add(e);
            } else if (compareRank(e, best.peek()) < 0) {
                best.poll();
                best.add(e);
            }
        }
        List<Integer> order = new ArrayList<>(best);
        order.sort(this::compareRank);
        List<Entry> list = new ArrayList<>(order.size());
        for (int e : order) {
            list.add(new Entry(new String(keys, keyOff[e], keyLen[e], UTF_8), counts[e]));
        }
        return list;
    }

    /** Negative when entry x ranks before entry y: a higher count, then smaller key bytes. */
    private int compareRank(int x, int y) {
        int c = Long.compare(counts[y], counts[x]);
        return c != 0 ? c : Arrays.compareUnsigned(keys, keyOff[x], keyOff[x] + keyLen[x],
                keys, keyOff[y], keyOff[y] + keyLen[y]);
    }

    private boolean sameKey(int e, byte[] b, int off, int len) {
        if (keyLen[e] != len) {
            return false;
        }
        // Keys are short (terms, weekdays): a plain loop beats the vectorised compare's set-up.
        int k = keyOff[e];
        for (int i = 0; i < len; i++) {
            if (keys[k + i] != b[off + i]) {
                return false;
            }
        }
        return true;
    }

    private void append(byte[] b, int off, int len, int hash, long count) {
        if (size == counts.length) {
            int cap = size * 2;
            keyOff = Arrays.copyOf(keyOff, cap);
            keyLen = Arrays.copyOf(keyLen, cap);
            hashes = Arrays.copyOf(hashes, cap);
            counts = Arrays.copyOf(counts, cap);
        }
        if (keysLen + len > keys.length) {
            keys = Arrays.copyOf(keys, Math.max(keysLen + len, keys.length * 2));
        }
        System.arraycopy(b, off, keys, keysLen, len);
        keyOff[size] = keysLen;
        keyLen[size] = len;
        hashes[size] = hash;
        counts[size] = count;
        keysLen += len;
        size++;
    }

    private void rehash(int capacity) {
        table = new int[capacity];
        int mask = capacity - 1;
        for (int e = 0; e < size; e++) {
            int slot = hashes[e] & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = e + 1;
        }
    }

    /** Drops at least half of the entries, the least counted ones. */
    private void prune() {
        long[] sorted = Arrays.copyOf(counts, size);
        Arrays.sort(sorted);
        long cut = sorted[size / 2];
        ByteCounts kept = new ByteCounts(maxEntries);
        for (int e = 0; e < size; e++) {
            if (counts[e] > cut) {
                kept.append(keys, keyOff[e], keyLen[e], hashes[e], counts[e]);
            }
        }
        keys = kept.keys;
        keysLen = kept.keysLen;
        keyOff = kept.keyOff;
        keyLen = kept.keyLen;
        hashes = kept.hashes;
        counts = kept.counts;
        size = kept.size;
        error = Math.max(error, cut);
        rehash(Integer.highestOneBit(Math.max(16, size * 4 - 1)) * 2);
    }

    private static int hash(byte[] b, int off, int len) {
        int h = 0x9E3779B9 ^ len;
        for (int i = off, stop = off + len; i < stop; i++) {
            h = 31 * h + b[i];
        }
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h;
    }
}
