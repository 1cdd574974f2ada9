package tally.job;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Applies the per-line rules (docs/stats-contract.md, "Per line") to one line and, when the line is kept, has its row written
 * ({@link RowWriter}).
 *
 * <p>One pass finds the line's end and validates the whole line as UTF-8 and JSON (the two fail the
 * same way, as {@code invalid_json}: a byte outside a string that is not ASCII is a JSON error
 * anyway, so UTF-8 is checked inside strings only). On the way it notes where the last
 * {@code tags}, {@code updated} and {@code id} members of the top-level object start and collects
 * the tag terms; {@code updated} and {@code id} are then read again from the known-valid bytes.
 * Nothing is allocated per line once the scratch buffers have grown.
 *
 * <p>Not thread-safe, but holds no shared state: use one instance per thread.
 */
final class LineParser {
    /** Rule 2 of docs/stats-contract.md: nesting deeper than this is invalid. */
    static final int MAX_DEPTH = 1000;

    private static final byte PLAIN = 0;
    private static final byte QUOTE = 1;
    private static final byte BACKSLASH = 2;
    private static final byte CONTROL = 3;
    private static final byte NON_ASCII = 4;
    private static final byte[] STRING_CLASS = new byte[256];

    static {
        for (int c = 0; c < 0x20; c++) {
            STRING_CLASS[c] = CONTROL;
        }
        STRING_CLASS['"'] = QUOTE;
        STRING_CLASS['\\'] = BACKSLASH;
        for (int c = 0x80; c < 0x100; c++) {
            STRING_CLASS[c] = NON_ASCII;
        }
    }

    private static final byte[] TAGS = {'t', 'a', 'g', 's'};
    private static final byte[] UPDATED = {'u', 'p', 'd', 'a', 't', 'e', 'd'};
    private static final byte[] ID = {'i', 'd'};
    /** The top-level members read, in the order {@link #member} tests them. */
    private static final byte[][] MEMBER_NAMES = {TAGS, UPDATED, ID};
    private static final byte[] TERM = {'t', 'e', 'r', 'm'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] NAN = {'N', 'a', 'N'};
    private static final byte[] INFINITY = {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'};

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    /** A de Bruijn sequence: times a power of two, its top six bits differ for each power. */
    private static final long DE_BRUIJN = 0x03F79D71B4CA8B09L;
    private static final byte[] BYTE_OF_LOWEST_BIT = new byte[64];

    static {
        for (int bit = 0; bit < 64; bit++) {
            BYTE_OF_LOWEST_BIT[(int) ((1L << bit) * DE_BRUIJN >>> 58)] = (byte) (bit >>> 3);
        }
    }

    private final boolean[] isObject = new boolean[MAX_DEPTH + 1];
    private final ByteSink decoded = new ByteSink(256);
    private final ByteSink updated = new ByteSink(64);
    private final ByteSink idBytes = new ByteSink(256);

    private byte[] b;
    private int end;
    /** Set by {@link #scanString}: whether the string just scanned holds an escape, a byte above 0x7F. */
    private boolean hadEscape;
    private boolean hadNonAscii;
    private int tagsPos;
    private int updatedPos;
    private int idPos;

    private final RowWriter rowWriter = new RowWriter();
    /** The row of the last kept line. */
    final ByteSink row = rowWriter.row;
    // Facts of the last kept line, read by the job's aggregates and the row writer.
    final int[] histogram = new int[10];
    int numTags;
    int sumTagLen;
    int longTags;
    /*
     * Rule 5 is read during validation (a second walk over the tags cost a quarter of the parse):
     * while the value of the last top-level "tags" member is being validated, each element's last
     * "term" value start is collected. tagsBad: an element is not an object or has no term.
     */
    private boolean inTags;
    private boolean tagsBad;
    /** Where the value of the current element's last "term" member starts, or -1. */
    private int elementTerm;
    /** When that value is a string: where it ends, and whether it holds escapes or non-ASCII bytes. */
    private int elementTermEnd;
    private boolean elementTermEscaped;
    private boolean elementTermAscii;
    private int[] termStarts = new int[16];
    /** Per term: the index after its closing quote, and whether it holds an escape. */
    private int[] termEnds = new int[16];
    private boolean[] termEscapes = new boolean[16];
    private boolean[] termAscii = new boolean[16];
    private int terms;
    private int weekdayStart, weekdayEnd, monthStart, monthEnd, yearStart, yearEnd;
    private int hourStart, hourEnd, minuteStart, minuteEnd, secondStart, secondEnd;
    private byte[] keyBuf;
    private int keyOff;
    private int keyLen;

    /** Where the last parsed line ended: the index of its LF, or the limit. */
    int lineEnd;

    /** The result of {@link #slice}: a view valid until the next call. */
    byte[] sliceBuf;
    int sliceOff;
    int sliceLen;

    /**
     * Parses the line that starts at {@code start} and ends at the first LF before {@code limit}, or
     * at {@code limit}; {@link #lineEnd} tells which. Finding the LF is part of the parse: a valid
     * line can only end at one (an LF is neither white space here nor allowed inside a string), so a
     * separate scan for it, 7% of the parse time, is needed only for invalid lines. The caller drops
     * a CR before the LF and checks the length (a CR at the end is white space to JSON anyway).
     */
    Outcome parse(byte[] bytes, int start, int limit) {
        this.b = bytes;
        this.end = limit;
        tagsPos = -1;
        updatedPos = -1;
        idPos = -1;
        inTags = false;
        int p = skipWhitespace(start);
        if (p >= end || b[p] == '\n') {
            lineEnd = p;
            return Outcome.INVALID_JSON;
        }
        boolean topObject = b[p] == '{';
        if (!validate(p)) {
            int lf = Lines.indexOfLf(b, p, end);
            lineEnd = lf < 0 ? end : lf;
            return Outcome.INVALID_JSON;
        }
        if (!topObject) {
            return Outcome.NOT_OBJECT;
        }
        if (tagsPos < 0) {
            return Outcome.NO_TAGS;
        }
        if (!readTags()) {
            return Outcome.BAD_TAGS;
        }
        if (!readUpdated()) {
            return Outcome.BAD_UPDATED;
        }
        if (idPos < 0 || b[idPos] != '"') {
            return Outcome.BAD_ID;
        }
        readId();
        rowWriter.write(this);
        return Outcome.KEPT;
    }

    // ---- rule 2: one JSON value, checked without recursion ----

    private boolean validate(int p) {
        int depth = 0;
        while (true) {
            // A value starts at p.
            if (p >= end) {
                return false;
            }
            int c = b[p];
            if (inTags && depth == 2) {
                // An element of the tags array.
                tagsBad |= c != '{';
                elementTerm = -1;
            }
            if (c == '{' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    return false;
                }
                boolean object = c == '{';
                isObject[depth] = object;
                p = skipWhitespaceFrom(p + 1);
                if (p < end && b[p] == (object ? '}' : ']')) {
                    if (inTags && depth == 3) {
                        endElement();
                    }
                    depth--;
                    p++;
                } else {
                    if (object && (p = member(p, depth)) < 0) {
                        return false;
                    }
                    continue;
                }
            } else if (c == '"') {
                int stringEnd = scanString(p);
                if (stringEnd < 0) {
                    return false;
                }
                if (p == elementTerm) {
                    elementTermEnd = stringEnd;
                    elementTermEscaped = hadEscape;
                    elementTermAscii = !hadNonAscii;
                }
                p = stringEnd;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                if ((p = scanNumber(p)) < 0) {
                    return false;
                }
            } else if ((p = scanLiteral(p, c)) < 0) {
                return false;
            }
            // A value ended at p: close containers or move to the next element.
            while (true) {
                p = skipWhitespaceFrom(p);
                if (depth == 0) {
                    lineEnd = p;
                    return p == end || b[p] == '\n';
                }
                if (p >= end) {
                    return false;
                }
                c = b[p];
                boolean object = isObject[depth];
                if (c == ',') {
                    // One space usually follows: settled here, without a call (see skipWhitespaceFrom).
                    p += 2;
                    if (p >= end || b[p - 1] != ' ' || b[p] <= ' ') {
                        p = skipWhitespace(p - 1);
                    }
                    if (object && (p = member(p, depth)) < 0) {
                        return false;
                    }
                    break;
                }
                if (c != (object ? '}' : ']')) {
                    return false;
                }
                if (inTags && depth == 3) {
                    endElement();
                }
                p++;
                depth--;
            }
        }
    }

    /** Reads {@code "name" :} and returns where the member's value starts, or -1. */
    private int member(int p, int depth) {
        if (p >= end || b[p] != '"') {
            return -1;
        }
        int nameEnd = scanString(p);
        if (nameEnd < 0) {
            return -1;
        }
        int q = skipWhitespaceFrom(nameEnd);
        if (q >= end || b[q] != ':') {
            return -1;
        }
        q += 2;
        if (q >= end || b[q - 1] != ' ' || b[q] <= ' ') {
            q = skipWhitespace(q - 1); // as after a comma in validate
        }
        if (depth == 1) {
            int member = memberIndex(p, nameEnd, hadEscape);
            if (member >= 0) {
                notePosition(member, q);
            }
            startTags(member == 0 && q < end && b[q] == '[');
        } else if (depth == 3 && inTags && nameEquals(p, nameEnd, TERM)) {
            elementTerm = q; // the last one wins
        }
        return q;
    }

    /** A top-level member starts: collecting restarts when it is "tags" with an array, else stops. */
    private void startTags(boolean tagsArray) {
        inTags = tagsArray;
        if (tagsArray) {
            tagsBad = false;
            terms = 0;
        }
    }

    /** An element of the tags array, an object (at depth 3), ends: its term, if a string, is kept. */
    private void endElement() {
        if (elementTerm < 0 || b[elementTerm] != '"') {
            tagsBad = true;
            return;
        }
        if (terms == termStarts.length) {
            termStarts = Arrays.copyOf(termStarts, terms * 2);
            termEnds = Arrays.copyOf(termEnds, terms * 2);
            termEscapes = Arrays.copyOf(termEscapes, terms * 2);
            termAscii = Arrays.copyOf(termAscii, terms * 2);
        }
        termStarts[terms] = elementTerm;
        termEnds[terms] = elementTermEnd;
        termEscapes[terms] = elementTermEscaped;
        termAscii[terms] = elementTermAscii;
        terms++;
    }

    /**
     * Which of {@link #MEMBER_NAMES} the name token {@code b[quote, stop)} is, or -1. Told by its
     * length first, so most names cost one compare.
     */
    private int memberIndex(int quote, int stop, boolean escaped) {
        if (escaped) {
            for (int k = 0; k < MEMBER_NAMES.length; k++) {
                if (decodedEquals(quote, stop, MEMBER_NAMES[k])) {
                    return k;
                }
            }
            return -1;
        }
        int k = switch (stop - quote - 2) {
            case 4 -> 0;
            case 7 -> 1;
            case 2 -> 2;
            default -> -1;
        };
        return k >= 0 && rawEquals(quote + 1, MEMBER_NAMES[k]) ? k : -1;
    }

    /** Duplicate names: the last one wins, as in Python's json. */
    private void notePosition(int member, int valueStart) {
        switch (member) {
            case 0 -> tagsPos = valueStart;
            case 1 -> updatedPos = valueStart;
            default -> idPos = valueStart;
        }
    }

    /** Whether the string token {@code b[quote, stop)} decodes to {@code name} (escapes allowed). */
    private boolean nameEquals(int quote, int stop, byte[] name) {
        if (hadEscape) {
            return decodedEquals(quote, stop, name);
        }
        return stop - quote - 2 == name.length && rawEquals(quote + 1, name);
    }

    /** Whether {@code b} holds {@code name} at {@code at}. */
    private boolean rawEquals(int at, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (b[at + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@link #nameEquals} for a name written with escapes: rare, so the decoder stays out of line. */
    private boolean decodedEquals(int quote, int stop, byte[] name) {
        if (stop - quote - 2 < name.length) {
            return false;
        }
        decoded.clear();
        decode(quote, decoded);
        if (decoded.len != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (decoded.buf[i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #skipWhitespace} from {@code p}, where a token usually starts at once. Small enough (at
     * most 35 bytes of bytecode) for C1 to inline, which a {@code stats} run relies on (the
     * launcher, bin/tally, runs it with C1 only): the usual case costs no call. Bytes of 0x80 and up are negative here and go
     * to skipWhitespace, which stops at them too.
     */
    private int skipWhitespaceFrom(int p) {
        return p < end && b[p] > ' ' ? p : skipWhitespace(p);
    }

    /** Skips spaces, tabs and CRs; an LF ends the line, so it stops there (see {@link #parse}). */
    private int skipWhitespace(int p) {
        while (p < end) {
            byte c = b[p];
            // Nearly every call meets a token at once: one compare settles a byte above the space (bytes
            // of 0x80 and up are negative here and take the full test, which they fail too).
            if (c > ' ' || c != ' ' && c != '\t' && c != '\r') {
                break;
            }
            p++;
        }
        return p;
    }

    /**
     * Scans the string token at {@code b[p] == '"'}; returns the index after its closing quote, or -1.
     * Bytes that need no attention (ASCII, not a quote, backslash or control character) are skipped
     * eight at a time; most of a bookmark line is such bytes inside URLs and titles. The word loop is
     * written here rather than in a method of its own: under C1 that was a call per string.
     */
    private int scanString(int p) {
        boolean escaped = false;
        boolean nonAscii = false;
        p++;
        while (true) {
            while (true) {
                if (p + 8 > end) {
                    while (p < end && STRING_CLASS[b[p] & 0xFF] == PLAIN) {
                        p++;
                    }
                    if (p >= end) {
                        return -1;
                    }
                    break;
                }
                long w = (long) LONGS.get(b, p);
                long quote = w ^ QUOTES;
                long backslash = w ^ BACKSLASHES;
                // Flags a byte below 0x20, equal to '"' or '\\', or at least 0x80; the lowest flag is exact.
                long special = ((w - SPACES) | (quote - ONES) & ~quote | (backslash - ONES) & ~backslash | w) & HIGHS;
                if (special != 0) {
                    p += firstFlaggedByte(special);
                    break;
                }
                p += 8;
            }
            int c = b[p] & 0xFF;
            switch (STRING_CLASS[c]) {
                case QUOTE:
                    hadEscape = escaped;
                    hadNonAscii = nonAscii;
                    return p + 1;
                case BACKSLASH:
                    escaped = true;
                    p = scanEscape(p);
                    break;
                case NON_ASCII:
                    nonAscii = true;
                    p = scanUtf8(p, c);
                    break;
                default:
                    return -1; // a raw control character (Python's strict mode refuses them)
            }
            if (p < 0) {
                return -1;
            }
        }
    }

    /**
     * The index of the byte of the lowest flag in {@code flags} (non-zero, flags in high bits):
     * a multiply and a table read. Long.numberOfTrailingZeros is an instruction under C2 but a
     * call of two more methods under C1, about 9 ns against 2 (and one such call ends every string).
     */
    private static int firstFlaggedByte(long flags) {
        return BYTE_OF_LOWEST_BIT[(int) ((flags & -flags) * DE_BRUIJN >>> 58)];
    }

    private int scanEscape(int p) {
        if (p + 1 >= end) {
            return -1;
        }
        switch (b[p + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
                return p + 2;
            case 'u':
                if (p + 6 > end) {
                    return -1;
                }
                for (int i = p + 2; i < p + 6; i++) {
                    if (hexValue(b[i]) < 0) {
                        return -1;
                    }
                }
                return p + 6;
            default:
                return -1;
        }
    }

    /**
     * Strict UTF-8 (RFC 3629): refuses overlong forms, encoded surrogates (ED A0..BF) and code
     * points above U+10FFFF, which a lenient decoder would let through.
     */
    private int scanUtf8(int p, int c) {
        if (c < 0xC2) {
            return -1;
        }
        if (c < 0xE0) {
            return p + 1 < end && isContinuation(b[p + 1]) ? p + 2 : -1;
        }
        if (c < 0xF0) {
            if (p + 2 >= end) {
                return -1;
            }
            int second = b[p + 1] & 0xFF;
            int low = c == 0xE0 ? 0xA0 : 0x80;
            int high = c == 0xED ? 0x9F : 0xBF;
            return second >= low && second <= high && isContinuation(b[p + 2]) ? p + 3 : -1;
        }
        if (c < 0xF5) {
            if (p + 3 >= end) {
                return -1;
            }
            int second = b[p + 1] & 0xFF;
            int low = c == 0xF0 ? 0x90 : 0x80;
            int high = c == 0xF4 ? 0x8F : 0xBF;
            return second >= low && second <= high && isContinuation(b[p + 2]) && isContinuation(b[p + 3])
                    ? p + 4 : -1;
        }
        return -1;
    }

    private static boolean isContinuation(byte x) {
        return (x & 0xC0) == 0x80;
    }

    /** RFC 8259 numbers, plus {@code -Infinity} (Python's json reads it). */
    private int scanNumber(int p) {
        if (b[p] == '-') {
            p++;
            if (p < end && b[p] == 'I') {
                return matchLiteral(p, INFINITY);
            }
        }
        if (p >= end) {
            return -1;
        }
        if (b[p] == '0') {
            p++;
        } else if (b[p] >= '1' && b[p] <= '9') {
            p = skipDigits(p + 1);
        } else {
            return -1;
        }
        if (p < end && b[p] == '.') {
            int q = skipDigits(p + 1);
            if (q == p + 1) {
                return -1;
            }
            p = q;
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int q = skipDigits(p);
            if (q == p) {
                return -1;
            }
            p = q;
        }
        return p;
    }

    private int skipDigits(int p) {
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            p++;
        }
        return p;
    }

    private int scanLiteral(int p, int c) {
        switch (c) {
            case 't':
                return matchLiteral(p, TRUE);
            case 'f':
                return matchLiteral(p, FALSE);
            case 'n':
                return matchLiteral(p, NULL);
            case 'N':
                return matchLiteral(p, NAN);
            case 'I':
                return matchLiteral(p, INFINITY);
            default:
                return -1;
        }
    }

    private int matchLiteral(int p, byte[] literal) {
        if (p + literal.length > end) {
            return -1;
        }
        for (int i = 0; i < literal.length; i++) {
            if (b[p + i] != literal[i]) {
                return -1;
            }
        }
        return p + literal.length;
    }

    private static int hexValue(byte x) {
        if (x >= '0' && x <= '9') {
            return x - '0';
        }
        if (x >= 'a' && x <= 'f') {
            return x - 'a' + 10;
        }
        if (x >= 'A' && x <= 'F') {
            return x - 'A' + 10;
        }
        return -1;
    }

    private int hex4(int p) {
        return hexValue(b[p]) << 12 | hexValue(b[p + 1]) << 8 | hexValue(b[p + 2]) << 4 | hexValue(b[p + 3]);
    }

    // ---- reading values again from bytes known to be valid ----

    /**
     * Decodes the valid string token at {@code b[quote]} into UTF-8. A surrogate pair written as
     * two escapes becomes one code point; a lone surrogate keeps the three-byte form Python 2 wrote.
     */
    private void decode(int quote, ByteSink out) {
        int p = quote + 1;
        while (true) {
            byte c = b[p];
            if (c == '"') {
                return;
            }
            if (c != '\\') {
                out.put(c);
                p++;
                continue;
            }
            byte e = b[p + 1];
            if (e != 'u') {
                out.put(switch (e) {
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> e;
                });
                p += 2;
                continue;
            }
            int unit = hex4(p + 2);
            p += 6;
            if (Character.isHighSurrogate((char) unit) && p + 6 <= end && b[p] == '\\' && b[p + 1] == 'u') {
                int low = hex4(p + 2);
                if (Character.isLowSurrogate((char) low)) {
                    out.putCodePoint(Character.toCodePoint((char) unit, (char) low));
                    p += 6;
                    continue;
                }
            }
            out.putCodePoint(unit);
        }
    }

    /** Code points of the valid string token at {@code b[quote]}; a lone surrogate counts as one. */
    private int codePoints(int quote) {
        int p = quote + 1;
        int n = 0;
        while (true) {
            byte c = b[p];
            if (c == '"') {
                return n;
            }
            n++;
            if (c == '\\') {
                if (b[p + 1] == 'u') {
                    int unit = hex4(p + 2);
                    p += 6;
                    if (Character.isHighSurrogate((char) unit) && p + 6 <= end && b[p] == '\\' && b[p + 1] == 'u'
                            && Character.isLowSurrogate((char) hex4(p + 2))) {
                        p += 6;
                    }
                } else {
                    p += 2;
                }
            } else {
                // Count lead bytes only: valid UTF-8 has one per code point.
                p++;
                while (isContinuation(b[p])) {
                    p++;
                }
            }
        }
    }

    /** Points {@link #sliceBuf} at the decoded content of the string token at {@code b[quote]}. */
    private void slice(int quote, ByteSink scratch) {
        int stop = scanString(quote);
        pointAt(quote, stop, hadEscape, scratch);
    }

    /** The raw bytes between the quotes when there is no escape, else the decoded copy in {@code scratch}. */
    private void pointAt(int quote, int stop, boolean escaped, ByteSink scratch) {
        if (!escaped) {
            sliceBuf = b;
            sliceOff = quote + 1;
            sliceLen = stop - quote - 2;
        } else {
            scratch.clear();
            decode(quote, scratch);
            sliceBuf = scratch.buf;
            sliceOff = 0;
            sliceLen = scratch.len;
        }
    }

    // ---- rule 5: tags ----

    /**
     * Rule 5 on what validation collected: every element an object with a string term, at least
     * one element. Then each term's length in code points.
     */
    private boolean readTags() {
        if (b[tagsPos] != '[' || tagsBad || terms == 0) {
            return false;
        }
        numTags = terms;
        sumTagLen = 0;
        longTags = 0;
        Arrays.fill(histogram, 0);
        for (int i = 0; i < terms; i++) {
            // Plain ASCII, the usual term: a code point per byte, no need to walk it.
            int length = termAscii[i] && !termEscapes[i] ? termEnds[i] - termStarts[i] - 2 : codePoints(termStarts[i]);
            if (length < 10) {
                sumTagLen += length;
                histogram[length]++;
            } else {
                longTags++;
            }
        }
        return true;
    }

    int termCount() {
        return terms;
    }

    /** Points {@link #sliceBuf} at the UTF-8 bytes of term {@code i} of the last kept line. */
    void term(int i) {
        pointAt(termStarts[i], termEnds[i], termEscapes[i], decoded);
    }

    // ---- rule 6: updated ----

    private boolean readUpdated() {
        if (updatedPos < 0 || b[updatedPos] != '"') {
            return false;
        }
        slice(updatedPos, decoded);
        updated.clear();
        updated.ensure(sliceLen);
        byte[] u = updated.buf;
        int n = 0;
        int field = 0;
        int fieldStart = 0;
        weekdayStart = weekdayEnd = monthStart = monthEnd = yearStart = yearEnd = -1;
        int timeStart = -1;
        int timeEnd = -1;
        for (int i = sliceOff, stop = sliceOff + sliceLen; i <= stop; i++) {
            byte c = i < stop ? sliceBuf[i] : (byte) ' ';
            if (c == ',') {
                continue; // Rule 6 of docs/stats-contract.md: every comma is removed before splitting
            }
            if (c == ' ') {
                switch (field) {
                    case 0 -> { weekdayStart = fieldStart; weekdayEnd = n; }
                    case 2 -> { monthStart = fieldStart; monthEnd = n; }
                    case 3 -> { yearStart = fieldStart; yearEnd = n; }
                    case 4 -> { timeStart = fieldStart; timeEnd = n; }
                    default -> { }
                }
                field++;
                fieldStart = n;
                if (i < stop) {
                    u[n++] = c;
                    fieldStart = n;
                }
                if (field >= 5 && i < stop) {
                    // Later fields are not used; the rest is not needed.
                    break;
                }
                continue;
            }
            u[n++] = c;
        }
        updated.len = n;
        if (field < 5) {
            return false;
        }
        // Split the time on ':' with the same rule; the first three fields are kept.
        int colonFields = 0;
        int start = timeStart;
        for (int i = timeStart; i <= timeEnd && colonFields < 3; i++) {
            if (i == timeEnd || u[i] == ':') {
                switch (colonFields) {
                    case 0 -> { hourStart = start; hourEnd = i; }
                    case 1 -> { minuteStart = start; minuteEnd = i; }
                    default -> { secondStart = start; secondEnd = i; }
                }
                colonFields++;
                start = i + 1;
            }
        }
        return colonFields >= 3;
    }

    // ---- rule 7 and the row ----

    private void readId() {
        slice(idPos, idBytes);
        keyBuf = sliceBuf;
        keyOff = sliceOff;
        keyLen = sliceLen;
    }

    byte[] keyBuf() {
        return keyBuf;
    }

    int keyOff() {
        return keyOff;
    }

    int keyLen() {
        return keyLen;
    }

    byte[] updatedBuf() {
        return updated.buf;
    }

    int weekdayStart() {
        return weekdayStart;
    }

    int weekdayEnd() {
        return weekdayEnd;
    }

    int monthStart() {
        return monthStart;
    }

    int monthEnd() {
        return monthEnd;
    }

    int yearStart() {
        return yearStart;
    }

    int yearEnd() {
        return yearEnd;
    }

    int hourStart() {
        return hourStart;
    }

    int hourEnd() {
        return hourEnd;
    }

    /** The average tag length of the last kept line, as the row prints it. */
    double avgTagLen() {
        return (double) sumTagLen / numTags;
    }

    int minuteStart() {
        return minuteStart;
    }

    int minuteEnd() {
        return minuteEnd;
    }

    int secondStart() {
        return secondStart;
    }

    int secondEnd() {
        return secondEnd;
    }

    int updatedLen() {
        return updated.len;
    }
}
