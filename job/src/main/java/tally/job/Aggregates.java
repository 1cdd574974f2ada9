package tally.job;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters and summary figures of a run of lines. Partial aggregates merge into the same result as
 * one pass over all lines, in any grouping and any order: every sum is exact (the mean tag length
 * is summed in fixed point), and the top terms stay exact while the distinct terms of all parts
 * together fit {@link JobConfig#maxExactTerms()}.
 *
 * <p>Serializable, so partial aggregates can travel from a distributed engine's workers to the
 * one that merges them. Not thread-safe.
 */
public final class Aggregates implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int TOP_TERMS = 20;
    /** Weekday, hour and year-month: the keys of a kept line counted before its terms. */
    private static final int CALENDAR_KEYS = 3;
    /** Distinct weekday, hour and year-month values kept exactly (real data has a few dozen). */
    private static final int MAX_CALENDAR_VALUES = 10_000;
    /** avg_tag_len values are summed as fixed-point numbers with this many fraction bits: exact. */
    private static final int FRACTION_BITS = 80;
    private static final List<String> WEEKDAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final List<String> MONTHS =
            List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

    private final long[] outcomes = new long[Outcome.values().length];
    private long totalTags;
    private long longTags;
    private final long[] histogram = new long[10];
    private int minTags = Integer.MAX_VALUE;
    private int maxTags;
    private long sumNumTags;
    private long avgHigh;
    private long avgLow;
    private final ByteCounts weekdays = new ByteCounts(MAX_CALENDAR_VALUES);
    private final ByteCounts hours = new ByteCounts(MAX_CALENDAR_VALUES);
    private final ByteCounts yearMonths = new ByteCounts(MAX_CALENDAR_VALUES);
    private final ByteCounts terms;
    private final ByteSink yearMonth = new ByteSink(32);
    /** weekdays, hours and yearMonths, indexed like the calendar keys of a line below. */
    private final ByteCounts[] calendar = {weekdays, hours, yearMonths};
    private final byte[][] keyBufs = new byte[CALENDAR_KEYS][];
    private final int[] keyOffs = new int[CALENDAR_KEYS];
    private final int[] keyLens = new int[CALENDAR_KEYS];

    /** Empty aggregates that count at most {@code maxExactTerms} distinct terms exactly. */
    public Aggregates(int maxExactTerms) {
        terms = new ByteCounts(maxExactTerms);
    }

    void count(Outcome outcome) {
        outcomes[outcome.ordinal()]++;
    }

    long lines() {
        long n = 0;
        for (long c : outcomes) {
            n += c;
        }
        return n;
    }

    long kept() {
        return outcomes[Outcome.KEPT.ordinal()];
    }

    long noTags() {
        return outcomes[Outcome.NO_TAGS.ordinal()];
    }

    long skipped() {
        return lines() - kept() - noTags();
    }

    /** Adds the facts of the line {@code line} just kept. */
    void keep(LineParser line) {
        outcomes[Outcome.KEPT.ordinal()]++;
        int n = line.numTags;
        totalTags += n;
        longTags += line.longTags;
        for (int i = 0; i < 10; i++) {
            histogram[i] += line.histogram[i];
        }
        minTags = Math.min(minTags, n);
        maxTags = Math.max(maxTags, n);
        sumNumTags += n;
        addAverage(line.avgTagLen());
        byte[] u = line.updatedBuf();
        // Year and month are fields split on spaces, so a space cannot occur in either.
        yearMonth.clear();
        yearMonth.put(u, line.yearStart(), line.yearEnd() - line.yearStart());
        yearMonth.put(' ');
        yearMonth.put(u, line.monthStart(), line.monthEnd() - line.monthStart());
        keyBufs[0] = u;
        keyOffs[0] = line.weekdayStart();
        keyLens[0] = line.weekdayEnd() - line.weekdayStart();
        keyBufs[1] = u;
        keyOffs[1] = line.hourStart();
        keyLens[1] = line.hourEnd() - line.hourStart();
        keyBufs[2] = yearMonth.buf;
        keyOffs[2] = 0;
        keyLens[2] = yearMonth.len;
        // One call of ByteCounts.add for the three calendar keys and every term: with one call per
        // counter C2 inlined four copies of the counting code here (50 KB of machine code), and its
        // compile of this method lasted 1.1 s of a `stats` run on the 206 MB file (JFR jdk.Compilation).
        for (int k = 0, stop = CALENDAR_KEYS + line.termCount(); k < stop; k++) {
            ByteCounts counts;
            byte[] key;
            int off;
            int len;
            if (k < CALENDAR_KEYS) {
                counts = calendar[k];
                key = keyBufs[k];
                off = keyOffs[k];
                len = keyLens[k];
            } else {
                line.term(k - CALENDAR_KEYS);
                counts = terms;
                key = line.sliceBuf;
                off = line.sliceOff;
                len = line.sliceLen;
            }
            counts.add(key, off, len, 1);
        }
    }

    /** Back to no lines, as new, keeping the counters' grown arrays (a block's aggregates are reused). */
    void clear() {
        Arrays.fill(outcomes, 0);
        totalTags = 0;
        longTags = 0;
        Arrays.fill(histogram, 0);
        minTags = Integer.MAX_VALUE;
        maxTags = 0;
        sumNumTags = 0;
        avgHigh = 0;
        avgLow = 0;
        for (ByteCounts counts : calendar) {
            counts.clear();
        }
        terms.clear();
    }

    /** Adds {@code other}, the aggregates of the lines right after these. */
    /** Adds {@code other}'s lines to these; {@code other} is left as it was. */
    public void merge(Aggregates other) {
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] += other.outcomes[i];
        }
        totalTags += other.totalTags;
        longTags += other.longTags;
        for (int i = 0; i < 10; i++) {
            histogram[i] += other.histogram[i];
        }
        minTags = Math.min(minTags, other.minTags);
        maxTags = Math.max(maxTags, other.maxTags);
        sumNumTags += other.sumNumTags;
        addFixed(other.avgHigh, other.avgLow);
        weekdays.merge(other.weekdays);
        hours.merge(other.hours);
        yearMonths.merge(other.yearMonths);
        terms.merge(other.terms);
    }

    /** The counters, with {@code bytes} as the input's size (the caller knows it; lines do not). */
    public Counters counters(long bytes) {
        return new Counters(bytes, lines(), kept(), noTags(), skipped(), new Counters.SkippedByReason(
                outcomes[Outcome.INVALID_JSON.ordinal()],
                outcomes[Outcome.NOT_OBJECT.ordinal()],
                outcomes[Outcome.BAD_TAGS.ordinal()],
                outcomes[Outcome.BAD_UPDATED.ordinal()],
                outcomes[Outcome.BAD_ID.ordinal()],
                outcomes[Outcome.TOO_LONG.ordinal()]));
    }

    /** The summary, whose counters say {@code bytes} for the input's size. */
    public Summary summary(long bytes) {
        long rows = kept();
        List<Long> hist = new ArrayList<>(10);
        for (long h : histogram) {
            hist.add(h);
        }
        Summary.Tags tags = new Summary.Tags(totalTags, totalTags - longTags, longTags, hist);
        Summary.NumTags numTags = rows == 0
                ? new Summary.NumTags(null, null, null)
                : new Summary.NumTags(minTags, maxTags, (double) sumNumTags / rows);
        List<Summary.TermCount> top = new ArrayList<>();
        for (ByteCounts.Entry e : terms.top(TOP_TERMS)) {
            top.add(new Summary.TermCount(e.key(), e.count()));
        }
        return new Summary(counters(bytes), tags, numTags, rows == 0 ? null : averageMean(rows),
                ordered(weekdays, Comparator.comparingInt((String k) -> rank(WEEKDAYS, k))
                        .thenComparing(Comparator.naturalOrder())),
                ordered(hours, Aggregates::compareNumbersFirst),
                yearMonthsInOrder(), top, terms.approximate());
    }

    private void addAverage(double avg) {
        if (avg <= 0) {
            return;
        }
        long bits = Double.doubleToRawLongBits(avg);
        int exponent = Math.getExponent(avg);
        long mantissa = (bits & ((1L << 52) - 1)) | (1L << 52);
        int shift = exponent - 52 + FRACTION_BITS;
        if (shift >= 64) {
            addFixed(mantissa << (shift - 64), 0);
        } else if (shift > 0) {
            addFixed(mantissa >>> (64 - shift), mantissa << shift);
        } else {
            addFixed(0, mantissa >>> -shift); // below 2^-80: cannot happen within any line cap
        }
    }

    private void addFixed(long high, long low) {
        long sum = avgLow + low;
        avgHigh += high + (Long.compareUnsigned(sum, avgLow) < 0 ? 1 : 0);
        avgLow = sum;
    }

    private double averageMean(long rows) {
        BigInteger fixed = BigInteger.valueOf(avgHigh).shiftLeft(64)
                .add(new BigInteger(Long.toUnsignedString(avgLow)));
        BigDecimal sum = new BigDecimal(fixed).divide(new BigDecimal(BigInteger.ONE.shiftLeft(FRACTION_BITS)));
        return sum.divide(BigDecimal.valueOf(rows), MathContext.DECIMAL128).doubleValue();
    }

    private static Map<String, Long> ordered(ByteCounts counts, Comparator<String> order) {
        List<ByteCounts.Entry> entries = counts.entries();
        entries.sort(Comparator.comparing(ByteCounts.Entry::key, order));
        Map<String, Long> map = new LinkedHashMap<>();
        for (ByteCounts.Entry e : entries) {
            map.merge(e.key(), e.count(), Long::sum);
        }
        return map;
    }

    private Map<String, Long> yearMonthsInOrder() {
        List<ByteCounts.Entry> entries = yearMonths.entries();
        entries.sort(Comparator.comparing((ByteCounts.Entry e) -> before(e.key()), Aggregates::compareNumbersFirst)
                .thenComparingInt(e -> rank(MONTHS, after(e.key())))
                .thenComparing(e -> after(e.key())));
        Map<String, Long> map = new LinkedHashMap<>();
        for (ByteCounts.Entry e : entries) {
            map.merge(before(e.key()) + "-" + after(e.key()), e.count(), Long::sum);
        }
        return map;
    }

    private static String before(String yearSpaceMonth) {
        return yearSpaceMonth.substring(0, yearSpaceMonth.indexOf(' '));
    }

    private static String after(String yearSpaceMonth) {
        return yearSpaceMonth.substring(yearSpaceMonth.indexOf(' ') + 1);
    }

    private static int rank(List<String> names, String key) {
        int i = names.indexOf(key);
        return i < 0 ? names.size() : i;
    }

    /** Values made of digits first, by number; then the others, by text. */
    private static int compareNumbersFirst(String a, String b) {
        boolean na = isNumber(a);
        boolean nb = isNumber(b);
        if (na != nb) {
            return na ? -1 : 1;
        }
        if (na) {
            int c = new BigInteger(a).compareTo(new BigInteger(b));
            if (c != 0) {
                return c;
            }
        }
        return a.compareTo(b);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
