package tally.load;

/**
 * Checks rows against SPEC-stats.md, "The row", while their bytes stream past, one chunk after another
 * (a row may span chunks; nothing is buffered): 20 TAB-separated fields ending with LF; the seven text
 * fields strict UTF-8 (RFC 3629) with a backslash only before TAB, LF, CR or backslash; the counts whole
 * numbers that fit PostgreSQL's {@code integer}; the two floats in the forms Python 2 printed. The first
 * bad row stops the load with a {@link BadRowException} naming its line.
 *
 * <p>For PostgreSQL the checker also rewrites each escape in place into the spelling PostgreSQL's text
 * COPY documents ({@code \t}, {@code \n}, {@code \r}, {@code \\}): a backslash before a literal LF or
 * CR loads today, but the PostgreSQL manual warns it "might not be accepted in future releases". The
 * rewrite keeps every row on one physical line, so PostgreSQL's own "line N" is the row number. For
 * Redshift the bytes pass unchanged: with {@code ESCAPE} Redshift loads {@code \t} as the letter t.
 *
 * <p>Because only those four escapes pass, a field can never be PostgreSQL's NULL marker {@code \N} nor
 * the {@code \0} this loader names as the marker (see {@link RowsTable}): an id that is the two
 * characters {@code \N} arrives escaped as {@code \\N} and loads as text.
 */
final class RowChecker {
    /** Counts are below 2^31: --max-line-bytes is an int, and each tag takes at least 11 bytes of its line. */
    private static final long MAX_COUNT = Integer.MAX_VALUE;
    /** Longer than any number Python 2's %.12g printed (e.g. -1.23456789012e+123 has 19 characters). */
    private static final int MAX_NUMBER_CHARS = 40;

    private final boolean rewriteEscapes;
    /** Largest text field in bytes once unescaped, by field; Redshift's VARCHAR widths, or null for none. */
    private final int[] maxTextBytes;

    private String source = "input";
    /** The physical line (1-based) the next byte is on, and the one the current row started on. */
    private long line = 1;
    private long rowLine = 1;
    private long rows;

    private int field;
    private boolean numeric;
    private boolean escaped;
    /** Bytes of the current field (text: once unescaped), to notice a partial last row and check widths. */
    private long fieldBytes;
    /** UTF-8: continuation bytes still expected, and the range the next one must fall in. */
    private int needed;
    private int lo;
    private int hi;
    private final char[] number = new char[MAX_NUMBER_CHARS];
    private int numberLength;

    private RowChecker(boolean rewriteEscapes, int[] maxTextBytes) {
        this.rewriteEscapes = rewriteEscapes;
        this.maxTextBytes = maxTextBytes == null ? null : maxTextBytes.clone();
    }

    /** Rewrites escapes into PostgreSQL's text COPY spelling. */
    static RowChecker forPostgres() {
        return new RowChecker(true, null);
    }

    /** Leaves the bytes as they are and holds text fields to Redshift's column widths. */
    static RowChecker forRedshift(int[] maxTextBytes) {
        return new RowChecker(false, maxTextBytes);
    }

    /** The next bytes come from a new file or part, named in messages; its lines count from 1. */
    void startSource(String name) {
        source = name;
        line = 1;
        rowLine = 1;
    }

    /** Rows completed so far, over every source. */
    long rows() {
        return rows;
    }

    /**
     * Checks {@code len} bytes from {@code off}, rewriting escapes in place for PostgreSQL, and returns
     * the index just past the last LF that ended a row in them (at a row boundary), or -1 if none did.
     */
    int check(byte[] buf, int off, int len) throws BadRowException {
        int lastRowEnd = -1;
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = buf[i] & 0xff;
            if (needed > 0) {
                if (c < lo || c > hi) {
                    throw bad("invalid UTF-8");
                }
                needed--;
                lo = 0x80;
                hi = 0xbf;
                fieldBytes++;
            } else if (escaped) {
                escaped = false;
                escape(buf, i, c);
                fieldBytes++;
            } else if (c >= 0x20 && c != '\\' && c < 0x80) {
                if (numeric) {
                    digit(c);
                }
                fieldBytes++;
            } else if (c >= 0x80) {
                if (numeric) {
                    throw notANumber("a non-ASCII byte");
                }
                leadByte(c);
                fieldBytes++;
            } else if (c == '\t') {
                endField();
                if (field == RowsTable.COLUMNS.size() - 1) {
                    throw bad("more than " + RowsTable.COLUMNS.size() + " fields");
                }
                startField(field + 1);
            } else if (c == '\n') {
                endRow();
                line++;
                rowLine = line;
                lastRowEnd = i + 1;
            } else {
                control(c);
            }
        }
        return lastRowEnd;
    }

    /**
     * The current source has ended: returns true when its last row had no LF (the caller then adds one,
     * so the next source starts on a row of its own), false when it ended at a row boundary.
     */
    boolean endSource() throws BadRowException {
        if (escaped) {
            throw bad("the input ends inside an escape (a lone backslash at the end)");
        }
        if (needed > 0) {
            throw bad("invalid UTF-8 (a character cut off by the end of the input)");
        }
        if (field == 0 && fieldBytes == 0) {
            return false;
        }
        endRow();
        return true;
    }

    private void escape(byte[] buf, int i, int c) throws BadRowException {
        if (numeric) {
            throw notANumber("a backslash");
        }
        switch (c) {
            case '\t' -> rewrite(buf, i, 't');
            case '\n' -> {
                rewrite(buf, i, 'n');
                line++;
            }
            case '\r' -> rewrite(buf, i, 'r');
            case '\\' -> {
                // \\ is already PostgreSQL's spelling.
            }
            default -> throw bad("a backslash must come before TAB, LF, CR or another backslash, not "
                    + describe(c) + " (SPEC-stats.md, The row)");
        }
    }

    private void rewrite(byte[] buf, int i, char letter) {
        if (rewriteEscapes) {
            buf[i] = (byte) letter;
        }
    }

    /** A control byte other than TAB and LF, or the backslash that starts an escape. */
    private void control(int c) throws BadRowException {
        if (c == '\\') {
            if (numeric) {
                throw notANumber("a backslash");
            }
            escaped = true;
        } else if (c == '\r') {
            throw bad("a CR that is not escaped (rows end with LF alone; a CR in a value is written as backslash CR)");
        } else if (c == 0) {
            throw bad("a NUL byte (the contract drops NUL from values)");
        } else if (numeric) {
            throw notANumber("a control character");
        } else {
            fieldBytes++;
        }
    }

    /** RFC 3629 table 3-7: no overlong forms, no encoded surrogates, nothing above U+10FFFF. */
    private void leadByte(int c) throws BadRowException {
        if (c >= 0xc2 && c <= 0xdf) {
            expect(1, 0x80, 0xbf);
        } else if (c == 0xe0) {
            expect(2, 0xa0, 0xbf);
        } else if (c == 0xed) {
            // ED A0..BF would be a surrogate: the form the old job wrote for a lone \\ud800 escape,
            // which neither PostgreSQL nor Redshift stores.
            expect(2, 0x80, 0x9f);
        } else if (c >= 0xe1 && c <= 0xef) {
            expect(2, 0x80, 0xbf);
        } else if (c == 0xf0) {
            expect(3, 0x90, 0xbf);
        } else if (c >= 0xf1 && c <= 0xf3) {
            expect(3, 0x80, 0xbf);
        } else if (c == 0xf4) {
            expect(3, 0x80, 0x8f);
        } else {
            throw bad("invalid UTF-8");
        }
    }

    private void expect(int continuation, int low, int high) {
        needed = continuation;
        lo = low;
        hi = high;
    }

    private void digit(int c) throws BadRowException {
        if (numberLength == MAX_NUMBER_CHARS) {
            throw notANumber("more than " + MAX_NUMBER_CHARS + " characters");
        }
        number[numberLength++] = (char) c;
    }

    private void startField(int index) {
        field = index;
        numeric = RowsTable.COLUMNS.get(index).isNumber();
        fieldBytes = 0;
        numberLength = 0;
    }

    private void endField() throws BadRowException {
        RowsTable.Column column = RowsTable.COLUMNS.get(field);
        if (column.isInteger() && !isCount(number, numberLength)) {
            throw notANumber("not a whole number from 0 to " + MAX_COUNT);
        }
        if (column.isFloat() && !isPythonFloat(new String(number, 0, numberLength))) {
            throw notANumber("not a number as Python 2 printed floats");
        }
        if (maxTextBytes != null && !numeric && fieldBytes > maxTextBytes[field]) {
            throw bad("field " + (field + 1) + " (" + column.name() + ") has " + fieldBytes
                    + " bytes; the Redshift column holds " + maxTextBytes[field]);
        }
    }

    private void endRow() throws BadRowException {
        endField();
        if (field != RowsTable.COLUMNS.size() - 1) {
            throw bad("expected " + RowsTable.COLUMNS.size() + " TAB-separated fields, found " + (field + 1));
        }
        rows++;
        startField(0);
    }

    static boolean isCount(char[] digits, int length) {
        if (length == 0 || length > 10) {
            return false;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            char c = digits[i];
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= MAX_COUNT;
    }

    /**
     * C's {@code %.12g} with Python 2's {@code .0}: {@code 21.0}, {@code 5.25}, {@code 5e-05},
     * {@code 1.5e+12}; also {@code nan}, {@code inf} and {@code -inf}. Nothing else: Java's
     * {@code Double.parseDouble} would take {@code " 1 "}, {@code 1d} and {@code 0x1p3}, which
     * no row holds and PostgreSQL refuses.
     */
    static boolean isPythonFloat(String s) {
        if ("nan".equals(s) || "inf".equals(s) || "-inf".equals(s)) {
            return true;
        }
        int i = s.startsWith("-") ? 1 : 0;
        int digits = skipDigits(s, i);
        if (digits == i) {
            return false;
        }
        i = digits;
        if (i < s.length() && s.charAt(i) == '.') {
            digits = skipDigits(s, i + 1);
            if (digits == i + 1) {
                return false;
            }
            i = digits;
        }
        if (i < s.length() && s.charAt(i) == 'e') {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            digits = skipDigits(s, i);
            if (digits == i) {
                return false;
            }
            i = digits;
        }
        return i == s.length();
    }

    private static int skipDigits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private BadRowException notANumber(String why) {
        RowsTable.Column column = RowsTable.COLUMNS.get(field);
        return bad("field " + (field + 1) + " (" + column.name() + ") is \"" + new String(number, 0, numberLength)
                + "\": " + why);
    }

    private BadRowException bad(String what) {
        return new BadRowException(source, rowLine, what);
    }

    private static String describe(int c) {
        return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
    }
}
