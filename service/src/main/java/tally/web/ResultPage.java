package tally.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tally.job.Counters;
import tally.job.Summary;
import tally.store.DatasetMeta;
import tally.store.DatasetStatus;
import tally.store.DatasetStore;

/**
 * {@code GET /datasets/{id}}: what a person reads after a submission: counters with the skipped
 * reasons, the tag-length histogram, rows by weekday and hour as charts, the top tags, rows by month,
 * and the download links.
 */
public final class ResultPage implements HttpHandler {

    private static final List<String> WEEKDAYS = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    private static final Pattern HOUR = Pattern.compile("(0[0-9]|1[0-9]|2[0-3])");
    /** A chart with more bars than this is unreadable at phone width; the rest are summed in "other". */
    private static final int MAX_BARS = 40;

    private final DatasetStore store;
    private final ObjectMapper json;
    private final Layout layout;
    private final BarChart charts;

    public ResultPage(DatasetStore store, ObjectMapper json, Layout layout, BarChart charts) {
        this.store = store;
        this.json = json;
        this.layout = layout;
        this.charts = charts;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws JsonProcessingException {
        Optional<DatasetMeta> found = PageResponse.datasetOrNotFound(exchange, store, layout);
        if (found.isEmpty()) {
            return;
        }
        DatasetMeta meta = found.get();
        PageResponse.html(exchange, StatusCodes.OK, layout.page(exchange, DatasetNames.shown(meta), "dataset.html", model(meta)));
    }

    private Map<String, Object> model(DatasetMeta meta) throws JsonProcessingException {
        Map<String, Object> model = new HashMap<>();
        String base = "/api/datasets/" + meta.id();
        model.put("id", meta.id());
        model.put("name", DatasetNames.shown(meta));
        model.put("status", meta.status().json());
        model.put("complete", meta.isComplete());
        model.put("inProgress", meta.status() == DatasetStatus.IN_PROGRESS);
        model.put("reason", meta.reason());
        model.put("created", Dates.shown(meta.created()));
        model.put("createdIso", meta.created());
        model.put("inputSize", meta.sizes() == null || meta.sizes().inputBytes() == 0 ? null
                : Numbers.bytes(meta.sizes().inputBytes()));
        model.put("rowsHref", base + "/rows.tsv?header=true");
        model.put("rowsFile", meta.id() + "-rows.tsv");
        model.put("inputHref", base + "/input");
        model.put("inputFile", meta.id() + ".jsonl");
        Counters counters = meta.counters();
        model.put("counters", counters == null ? null : counters(counters));
        Summary summary = meta.summary();
        model.put("summary", summary == null ? null : summary(summary));
        return model;
    }

    private static Map<String, Object> counters(Counters c) {
        Counters.SkippedByReason by = c.skippedByReason();
        List<Map<String, Object>> reasons = new ArrayList<>();
        addReason(reasons, "invalid_json", by.invalidJson(),
                "Not one JSON value: bad syntax, invalid UTF-8, a blank line, or text after the value.");
        addReason(reasons, "not_object", by.notObject(), "Valid JSON, but not an object.");
        addReason(reasons, "bad_tags", by.badTags(),
                "tags is not a non-empty list of objects, each with a string term.");
        addReason(reasons, "bad_updated", by.badUpdated(),
                "updated is not a string like \"Sun, 06 Sep 2009 11:36:20 +0000\".");
        addReason(reasons, "bad_id", by.badId(), "id is missing or not a string.");
        addReason(reasons, "too_long", by.tooLong(), "Longer than the line limit of the server.");
        return Map.of(
                "lines", Numbers.grouped(c.lines()),
                "kept", Numbers.grouped(c.kept()),
                "noTags", Numbers.grouped(c.noTags()),
                "skipped", Numbers.grouped(c.skipped()),
                "bytes", Numbers.bytes(c.bytes()),
                "reasons", reasons.isEmpty() ? false : Map.of("rows", reasons));
    }

    private static void addReason(List<Map<String, Object>> reasons, String code, long count, String meaning) {
        if (count > 0) {
            reasons.add(Map.of("code", code, "count", Numbers.grouped(count), "meaning", meaning));
        }
    }

    private Map<String, Object> summary(Summary s) {
        Map<String, Object> model = new HashMap<>();
        Summary.Tags tags = s.tags();
        List<BarChart.Bar> lengths = new ArrayList<>();
        List<Long> histogram = tags == null || tags.histogram() == null ? List.of() : tags.histogram();
        for (int length = 0; length < 10; length++) {
            lengths.add(new BarChart.Bar(Integer.toString(length), length < histogram.size() ? histogram.get(length) : 0));
        }
        lengths.add(new BarChart.Bar("10+", tags == null ? 0 : tags.longTags(), true));
        model.put("histogram", charts.render("lengths", "Tags by length in characters",
                "Tags by length in characters (code points); the last bar counts tags of 10 or more.", lengths));
        model.put("tagsTotal", Numbers.grouped(tags == null ? 0 : tags.total()));
        model.put("tagsShort", Numbers.grouped(tags == null ? 0 : tags.shortTags()));
        model.put("tagsLong", Numbers.grouped(tags == null ? 0 : tags.longTags()));
        Summary.NumTags numTags = s.numTags();
        model.put("numTagsMin", numTags == null || numTags.min() == null ? "–" : numTags.min().toString());
        model.put("numTagsMax", numTags == null || numTags.max() == null ? "–" : numTags.max().toString());
        model.put("numTagsMean", Numbers.mean(numTags == null ? null : numTags.mean()));
        model.put("avgTagLenMean", Numbers.mean(s.avgTagLenMean()));

        model.put("weekdays", charts.render("weekday", "Rows by weekday",
                "Kept rows by the weekday in their updated field.", weekdayBars(s.byWeekday())));
        model.put("hours", charts.render("hour", "Rows by hour",
                "Kept rows by the hour in their updated field (as written, usually UTC).", hourBars(s.byHour())));

        List<Map<String, Object>> terms = new ArrayList<>();
        List<Summary.TermCount> top = s.topTerms() == null ? List.of() : s.topTerms();
        long most = top.stream().mapToLong(Summary.TermCount::count).max().orElse(1);
        for (int i = 0; i < top.size(); i++) {
            Summary.TermCount term = top.get(i);
            terms.add(Map.of("rank", i + 1, "term", term.term(), "count", Numbers.grouped(term.count()),
                    "share", String.format(Locale.ROOT, "%.1f", 100.0 * term.count() / Math.max(1, most))));
        }
        model.put("terms", terms.isEmpty() ? false : Map.of("rows", terms));
        model.put("approximate", s.topTermsApproximate());

        List<Map<String, Object>> months = new ArrayList<>();
        if (s.byYearMonth() != null) {
            s.byYearMonth().forEach((key, count) -> months.add(Map.of("label", key, "count", Numbers.grouped(count))));
        }
        model.put("months", months.isEmpty() ? false : Map.of("rows", months));
        return model;
    }

    /** Mon..Sun always (a missing day is a zero bar worth seeing), then any other value as found. */
    private static List<BarChart.Bar> weekdayBars(Map<String, Long> byWeekday) {
        Map<String, Long> counts = new LinkedHashMap<>();
        WEEKDAYS.forEach(day -> counts.put(day, 0L));
        if (byWeekday != null) {
            byWeekday.forEach((day, count) -> counts.merge(day, count, Long::sum));
        }
        return bars(counts);
    }

    /** 00..23 when every value is an hour; otherwise the values as found (the job copies them verbatim). */
    private static List<BarChart.Bar> hourBars(Map<String, Long> byHour) {
        Map<String, Long> found = byHour == null ? Map.of() : byHour;
        if (!found.keySet().stream().allMatch(hour -> HOUR.matcher(hour).matches())) {
            return bars(found);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int hour = 0; hour < 24; hour++) {
            String key = String.format(Locale.ROOT, "%02d", hour);
            counts.put(key, found.getOrDefault(key, 0L));
        }
        return bars(counts);
    }

    private static List<BarChart.Bar> bars(Map<String, Long> counts) {
        List<BarChart.Bar> bars = new ArrayList<>();
        long other = 0;
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            if (bars.size() < MAX_BARS - 1 || counts.size() <= MAX_BARS) {
                bars.add(new BarChart.Bar(entry.getKey(), entry.getValue()));
            } else {
                other += entry.getValue();
            }
        }
        if (other > 0) {
            bars.add(new BarChart.Bar("other", other, true));
        }
        return bars;
    }
}
