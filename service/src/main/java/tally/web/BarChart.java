package tally.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A vertical bar chart drawn as inline SVG on the server: no script, no chart library, and it prints.
 * Labels and tooltips go through the template's escaping like any user text (weekday and hour values
 * are copied verbatim from the data, docs/stats-contract.md, "Per line", rule 6).
 */
public final class BarChart {

    /** One bar; {@code highlight} draws it in the second colour (e.g. the long tags). */
    public record Bar(String label, long value, boolean highlight) {
        public Bar(String label, long value) {
            this(label, value, false);
        }
    }

    static final int WIDTH = 560;
    static final int HEIGHT = 220;
    private static final int LEFT = 44;
    private static final int RIGHT = 8;
    private static final int TOP = 20;
    private static final int BOTTOM = 26;
    /** Above this many bars the value labels would overlap; the tooltip still has each value. */
    private static final int MAX_VALUE_LABELS = 12;

    private final Templates templates;

    public BarChart(Templates templates) {
        this.templates = templates;
    }

    /** {@code key} makes the SVG's element ids unique in the page. */
    public Html render(String key, String title, String caption, List<Bar> bars) {
        long max = bars.stream().mapToLong(Bar::value).max().orElse(0);
        long top = niceCeiling(max);
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double band = plotWidth / Math.max(1, bars.size());
        double barWidth = Math.max(1, band * 0.72);
        boolean values = bars.size() <= MAX_VALUE_LABELS;

        List<DrawnBar> drawn = new ArrayList<>();
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double height = top == 0 ? 0 : plotHeight * bar.value() / top;
            double x = LEFT + band * i + (band - barWidth) / 2;
            double y = TOP + plotHeight - height;
            drawn.add(new DrawnBar(fixed(x), fixed(y), fixed(barWidth), fixed(height), fixed(x + barWidth / 2),
                    fixed(HEIGHT - BOTTOM + 16), fixed(y - 4), bar.label(), Numbers.grouped(bar.value()),
                    Numbers.compact(bar.value()), bar.highlight() ? "bar alt" : "bar", values && bar.value() > 0));
        }
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= 2; i++) {
            long value = top * i / 2;
            double y = TOP + plotHeight - (top == 0 ? 0 : plotHeight * value / top);
            ticks.add(new Tick(fixed(y), fixed(y + 4), Numbers.compact(value)));
        }
        return templates.render("bar-chart.svg", new Chart(key, title, caption, WIDTH, HEIGHT, LEFT, WIDTH - RIGHT,
                LEFT - 6, fixed(TOP + plotHeight), drawn, ticks, bars.isEmpty() || max == 0, !values));
    }

    private record DrawnBar(String x, String y, String w, String h, String cx, String labelY, String valueY,
            String label, String value, String shortValue, String cls, boolean showValue) {}

    private record Tick(String y, String textY, String label) {}

    private record Chart(String key, String title, String caption, int width, int height, int left, int right,
            int tickX, String baseY, List<DrawnBar> bars, List<Tick> ticks, boolean empty, boolean dense) {}

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code value}, so ticks read well. */
    static long niceCeiling(long value) {
        if (value <= 0) {
            return 0;
        }
        long power = 1;
        while (power <= value / 10) {
            power *= 10;
        }
        for (long step : new long[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
