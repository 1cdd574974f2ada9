package tally.web;

import java.util.Locale;

/** How numbers read on the pages: grouped counts, compact axis labels, byte sizes in SI units. */
final class Numbers {

    private Numbers() {
    }

    /** {@code 1234567} as {@code 1,234,567}. */
    static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** {@code 1234567} as {@code 1.2M}: short enough for an axis. */
    static String compact(long value) {
        String[] suffixes = {"", "k", "M", "G", "T"};
        double scaled = value;
        int unit = 0;
        while (Math.abs(scaled) >= 1000 && unit < suffixes.length - 1) {
            scaled /= 1000;
            unit++;
        }
        if (unit == 0) {
            return Long.toString(value);
        }
        String digits = scaled >= 100 || scaled == Math.rint(scaled)
                ? String.format(Locale.ROOT, "%.0f", scaled)
                : String.format(Locale.ROOT, "%.1f", scaled);
        return digits + suffixes[unit];
    }

    /** Bytes in SI units as browsers and file managers show them: {@code 52.4 MB}, {@code 1 GB}. */
    static String bytes(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double scaled = bytes;
        int unit = 0;
        while (scaled >= 1000 && unit < units.length - 1) {
            scaled /= 1000;
            unit++;
        }
        if (unit == 0) {
            return bytes + " B";
        }
        String digits = scaled == Math.rint(scaled)
                ? String.format(Locale.ROOT, "%.0f", scaled)
                : String.format(Locale.ROOT, "%.1f", scaled);
        return digits + " " + units[unit];
    }

    /**
     * A configured limit: in binary units when it is a whole number of them ({@code 1073741824} is
     * {@code 1 GiB}, the default cap), so the page shows the number the operator typed; else like {@link #bytes}.
     */
    static String limit(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        for (int unit = units.length - 1; unit >= 0; unit--) {
            long size = 1L << (10 * (unit + 1));
            if (bytes >= size && bytes % size == 0) {
                return bytes / size + " " + units[unit];
            }
        }
        return bytes(bytes);
    }

    /** A mean with at most two decimals, or an en dash when there is none. */
    static String mean(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }
}
