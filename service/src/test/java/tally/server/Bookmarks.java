package tally.server;

/** Literal bookmark lines and their rows (docs/stats-contract.md, "The row" example among them), for the HTTP tests. */
public final class Bookmarks {
    public static final String SPEC_LINE = "{\"id\":\"http://delicious.com/url/0001c173b0f84ea81d188336223f9d7d#linooliveira\","
            + "\"updated\":\"Sun, 06 Sep 2009 11:36:20 +0000\",\"tags\":[{\"term\":\"trips\"},{\"term\":\"howto\"},"
            + "{\"term\":\"tips\"},{\"term\":\"viagens\"}]}\n";
    public static final String SPEC_ROW = "http://delicious.com/url/0001c173b0f84ea81d188336223f9d7d#linooliveira\tSun\tSep\t"
            + "2009\t11\t36\t20\t4\t21.0\t5.25\t0\t0\t0\t0\t1\t2\t0\t1\t0\t0\n";
    public static final String EARLIER_LINE = "{\"id\":\"a\",\"updated\":\"Mon, 07 Sep 2009 01:02:03 +0000\","
            + "\"tags\":[{\"term\":\"xyz\"}]}\n";
    public static final String EARLIER_ROW = "a\tMon\tSep\t2009\t01\t02\t03\t1\t3.0\t3.0\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\n";
    public static final String NO_TAGS_LINE = "{\"id\":\"b\",\"updated\":\"Mon, 07 Sep 2009 01:02:03 +0000\"}\n";
    public static final String BAD_LINE = "not json\n";

    /** Four lines: two rows (sorted "a" first), one without tags, one skipped. */
    public static final String MIXED = SPEC_LINE + NO_TAGS_LINE + EARLIER_LINE + BAD_LINE;
    public static final String MIXED_ROWS = EARLIER_ROW + SPEC_ROW;

    private Bookmarks() {
    }
}
