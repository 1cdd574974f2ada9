package tally.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Stored instants as the pages show them: UTC, to the minute (the server has no idea of the reader's zone). */
final class Dates {

    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Dates() {
    }

    static String shown(String iso) {
        if (iso == null) {
            return "";
        }
        try {
            return SHOWN.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }
}
