package tally.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import tally.job.Aggregates;
import tally.job.JobConfig;
import tally.job.Summary;

/**
 * What some lines add to the summary: their {@link Aggregates} and their bytes (LFs included), which
 * the lines alone cannot tell. Partial results merge into the whole input's in any grouping.
 */
public final class PartialResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Aggregates aggregates;
    private long bytes;

    public PartialResult(Aggregates aggregates, long bytes) {
        this.aggregates = aggregates;
        this.bytes = bytes;
    }

    public static PartialResult empty(JobConfig config) {
        return new PartialResult(new Aggregates(config.maxExactTerms()), 0);
    }

    /** Adds {@code other} to this one, and returns this one. */
    public PartialResult merge(PartialResult other) {
        aggregates.merge(other.aggregates);
        bytes += other.bytes;
        return this;
    }

    public long bytes() {
        return bytes;
    }

    public Summary summary() {
        return aggregates.summary(bytes);
    }

    /**
     * Java serialization, for the shuffle: the rows' values are bytes, and this travels as one of
     * them. (Aggregates are written for Java serialization, not for Kryo's field-by-field copy.)
     */
    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static PartialResult fromBytes(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (PartialResult) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
