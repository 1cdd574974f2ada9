package tally.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tally.job.Counters;
import tally.server.TallyServerExtension;

/** The pages with JavaScript on, in headless Chromium, against the real server. */
@Tag("ui")
class WebUiTest {

    @RegisterExtension
    @Order(1)
    static final TallyServerExtension server = new TallyServerExtension();

    @RegisterExtension
    @Order(2)
    static final Browser browser = Browser.withScript();

    /** Where the README's screenshot is written when {@code -Dtally.screenshots=DIR} asks for it. */
    private static final String SCREENSHOTS = System.getProperty("tally.screenshots", "target/screenshots");
    private static final Pattern RESULT_URL = Pattern.compile(".*/datasets/([A-Za-z0-9_-]+)$");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path temp;

    private WebDriver driver() {
        return browser.driver();
    }

    private String url(String path) {
        return server.baseUri().resolve(path).toString();
    }

    @Test
    void typing_lines_into_the_form_lands_on_a_result_page_with_the_right_counters() {
        driver().get(url("/"));
        assertThat(driver().getTitle()).isEqualTo("New dataset · Tally");

        driver().findElement(By.id("name")).sendKeys("Typed by hand");
        driver().findElement(By.id("text")).sendKeys(String.join("\n",
                "{\"id\": \"http://example.com/a#ann\", \"updated\": \"Sun, 06 Sep 2009 11:36:20 +0000\","
                        + " \"tags\": [{\"term\": \"trips\"}, {\"term\": \"howto\"}, {\"term\": \"tips\"}]}",
                "{\"id\": \"http://example.com/b#bob\", \"updated\": \"Mon, 07 Sep 2009 18:02:00 +0000\","
                        + " \"tags\": [{\"term\": \"howto\"}]}",
                "{\"id\": \"http://example.com/c#cy\", \"updated\": \"Mon, 07 Sep 2009 18:02:00 +0000\"}",
                "this line is not JSON"));
        driver().findElement(By.id("submit")).click();

        String id = awaitResultPage();
        assertThat(driver().getTitle()).isEqualTo("Typed by hand · Tally");
        assertThat(text("dataset-name")).isEqualTo("Typed by hand");
        assertThat(text("count-lines")).isEqualTo("4");
        assertThat(text("count-kept")).isEqualTo("2");
        assertThat(text("count-no-tags")).isEqualTo("1");
        assertThat(text("count-skipped")).isEqualTo("1");
        assertThat(driver().findElement(By.cssSelector("#skipped-reasons tr[data-reason=invalid_json]")).getText())
                .contains("invalid_json").contains("1");
        assertThat(column("#top-terms", 2)).containsExactly("howto", "tips", "trips");
        assertThat(column("#top-terms", 3)).containsExactly("2", "1", "1");
        assertThat(driver().findElement(By.id("download-rows")).getAttribute("href"))
                .endsWith("/api/datasets/" + id + "/rows.tsv?header=true");
        assertThat(driver().findElements(By.cssSelector("#chart-weekday rect.bar"))).hasSize(7);
        assertThat(driver().findElements(By.cssSelector("#chart-hour rect.bar"))).hasSize(24);

        driver().findElement(By.linkText("← All datasets")).click();
        browser.waitUpTo(10).until(ExpectedConditions.urlToBe(url("/datasets")));
        assertThat(driver().findElement(By.cssSelector("tr[data-id='" + id + "']")).getText()).contains("Typed by hand");
    }

    @Test
    void a_50_MB_file_shows_upload_progress_changing_before_the_result_and_the_counters_are_right() throws Exception {
        Path file = UiData.bookmarks(temp, "bookmarks-50mb.jsonl", 42, 52_000_000);
        Counters expected = UiData.countersOf(file, Files.createDirectories(temp.resolve("spill")));

        driver().get(url("/"));
        driver().findElement(By.id("name")).sendKeys("Fifty megabytes of bookmarks");
        driver().findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        recordProgressDisplay();
        driver().findElement(By.id("submit")).click();

        awaitResultPage(120);
        @SuppressWarnings("unchecked")
        List<String> seen = (List<String>) browser.script(
                "return JSON.parse(sessionStorage.getItem('progress-seen') || '[]');");
        assertThat(seen).as("distinct states of the progress display").hasSizeGreaterThanOrEqualTo(3);
        assertThat(text("count-lines")).isEqualTo(UiData.grouped(expected.lines()));
        assertThat(text("count-kept")).isEqualTo(UiData.grouped(expected.kept()));
        assertThat(text("count-no-tags")).isEqualTo(UiData.grouped(expected.noTags()));
        assertThat(text("count-skipped")).isEqualTo(UiData.grouped(expected.skipped()));
        assertThat(expected.kept()).isGreaterThan(40_000);

        browser.screenshotWholePage(Path.of(SCREENSHOTS, "result-page.png"));
        driver().manage().window().setSize(new Dimension(390, 844));
        try {
            assertThat(((Number) browser.script("return document.documentElement.scrollWidth;")).intValue())
                    .as("no sideways scrolling on a phone-sized window").isLessThanOrEqualTo(390);
            browser.screenshotWholePage(Path.of(SCREENSHOTS, "result-page-phone.png"));
        } finally {
            driver().manage().window().setSize(Browser.DESKTOP);
        }
    }

    @Test
    void a_gzip_compressed_file_is_tallied_as_its_lines() throws Exception {
        Path plain = UiData.bookmarks(temp, "sample.jsonl", 5, 300_000);
        Counters expected = UiData.countersOf(plain, Files.createDirectories(temp.resolve("spill")));
        Path gzipped = temp.resolve("sample.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            Files.copy(plain, out);
        }

        driver().get(url("/"));
        driver().findElement(By.id("file")).sendKeys(gzipped.toAbsolutePath().toString());
        driver().findElement(By.id("submit")).click();

        awaitResultPage();
        assertThat(text("dataset-name")).isEqualTo("sample.jsonl.gz");
        assertThat(text("count-lines")).isEqualTo(UiData.grouped(expected.lines()));
        assertThat(text("count-kept")).isEqualTo(UiData.grouped(expected.kept()));
    }

    @Test
    void script_in_a_dataset_name_and_in_tag_terms_shows_as_text_and_never_runs() {
        String name = "<script>window.pwned = 'name'</script><img src=x onerror=\"window.pwned = 'img'\">";
        String term = "<script>alert(1)</script>";
        driver().get(url("/"));
        driver().findElement(By.id("name")).sendKeys(name);
        driver().findElement(By.id("text")).sendKeys("{\"id\": \"x\", \"updated\": \"Tue, 01 Jan 2013 00:00:00 +0000\","
                + " \"tags\": [{\"term\": \"" + term.replace("/", "\\/") + "\"}]}");
        driver().findElement(By.id("submit")).click();

        awaitResultPage();
        assertThat(text("dataset-name")).isEqualTo(name);
        assertThat(column("#top-terms", 2)).containsExactly(term);
        assertThat(browser.script("return window.pwned === undefined;")).isEqualTo(true);
        assertThatThrownBy(() -> driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(driver().findElements(By.cssSelector("main script, main img[src=x]"))).isEmpty();

        driver().get(url("/datasets"));
        assertThat(driver().findElement(By.cssSelector("table.datasets")).getText()).contains(name);
        assertThat(browser.script("return window.pwned === undefined;")).isEqualTo(true);
    }

    @Test
    void an_invalid_upload_shows_a_readable_error_and_the_list_shows_only_real_datasets() throws IOException {
        Path notJson = Files.writeString(temp.resolve("contacts.json"),
                "name,email\nAda,ada@example.com\nGrace,grace@example.com\n", StandardCharsets.UTF_8);
        driver().get(url("/"));
        driver().findElement(By.id("name")).sendKeys("Not a dataset");
        driver().findElement(By.id("file")).sendKeys(notJson.toAbsolutePath().toString());
        driver().findElement(By.id("submit")).click();

        WebElement error = browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error")));
        assertThat(error.getText()).contains("That does not look like JSON lines").contains("None of its 3 lines");
        assertThat(driver().getCurrentUrl()).isEqualTo(url("/"));
        assertThat(driver().getPageSource()).doesNotContain("problem+json").doesNotContain("Exception");

        driver().get(url("/"));
        driver().findElement(By.id("submit")).click();
        assertThat(browser.waitUpTo(5).until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error"))).getText())
                .contains("Nothing to tally");

        driver().get(url("/datasets"));
        assertThat(driver().findElement(By.id("main")).getText()).doesNotContain("Not a dataset").doesNotContain("contacts.json");
        assertThat(driver().findElements(By.cssSelector("tr[data-id] .status")))
                .extracting(WebElement::getText).allMatch("complete"::equals);
    }

    private String storeSmallDataset(String prefix) throws Exception {
        String id = prefix + System.nanoTime();
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/api/datasets/" + id + "?name=Old+data"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"id\": \"a\", \"updated\": \"Tue, 01 Jan 2013 00:00:00 +0000\","
                        + " \"tags\": [{\"term\": \"x\"}]}\n"))
                .header("Content-Type", "application/x-ndjson").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(201);
        return id;
    }

    /** From the list page, the dataset's delete button, to its confirmation page. */
    private void openDeleteConfirmation(String id) {
        driver().get(url("/datasets"));
        driver().findElement(By.cssSelector("tr[data-id='" + id + "'] .danger")).click();
        browser.waitUpTo(10).until(ExpectedConditions.urlContains("/datasets/" + id + "/delete"));
    }

    @Test
    void deleting_from_the_list_page_asks_first_then_removes_the_dataset() throws Exception {
        String id = storeSmallDataset("to-delete-");

        openDeleteConfirmation(id);
        assertThat(driver().findElement(By.tagName("h1")).getText()).isEqualTo("Delete “Old data”?");
        assertThat(http.send(HttpRequest.newBuilder(server.baseUri().resolve("/api/datasets/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("nothing deleted before confirming").isEqualTo(200);
        driver().findElement(By.id("confirm-delete")).click();

        browser.waitUpTo(10).until(ExpectedConditions.urlContains("/datasets?deleted=" + id));
        assertThat(driver().findElements(By.cssSelector("tr[data-id='" + id + "']"))).isEmpty();
        assertThat(driver().findElement(By.cssSelector("[role=status]")).getText()).contains(id);
        HttpResponse<String> gone = http.send(HttpRequest.newBuilder(server.baseUri().resolve("/api/datasets/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).isEqualTo(404);
    }

    @Test
    void keeping_the_dataset_on_the_confirmation_page_deletes_nothing() throws Exception {
        String id = storeSmallDataset("to-keep-");

        openDeleteConfirmation(id);
        driver().findElement(By.id("keep")).click();

        browser.waitUpTo(10).until(ExpectedConditions.urlMatches(".*/datasets$"));
        assertThat(driver().findElements(By.cssSelector("tr[data-id='" + id + "']"))).hasSize(1);
        assertThat(http.send(HttpRequest.newBuilder(server.baseUri().resolve("/api/datasets/" + id)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    /**
     * Records every distinct state of the progress display (bar value and live counters) into
     * sessionStorage, which survives the navigation to the result page.
     */
    private void recordProgressDisplay() {
        browser.script("""
                sessionStorage.removeItem('progress-seen');
                const seen = [];
                const snapshot = () => {
                  const state = [document.getElementById('upload-bar').value,
                    ...['live-lines', 'live-kept', 'live-skipped'].map(id => document.getElementById(id).textContent)]
                    .join('|');
                  if (seen[seen.length - 1] !== state) {
                    seen.push(state);
                    sessionStorage.setItem('progress-seen', JSON.stringify(seen));
                  }
                };
                new MutationObserver(snapshot).observe(document.getElementById('progress'),
                  { subtree: true, childList: true, characterData: true, attributes: true });
                """);
    }

    private String awaitResultPage() {
        return awaitResultPage(20);
    }

    private String awaitResultPage(int seconds) {
        browser.waitUpTo(seconds).until(ExpectedConditions.urlMatches(RESULT_URL.pattern()));
        Matcher matcher = RESULT_URL.matcher(driver().getCurrentUrl());
        assertThat(matcher.matches()).isTrue();
        browser.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("dataset-name")));
        return matcher.group(1);
    }

    private String text(String id) {
        return driver().findElement(By.id(id)).getText();
    }

    private List<String> column(String table, int column) {
        return driver().findElements(By.cssSelector(table + " tbody tr td:nth-child(" + column + ")")).stream()
                .map(WebElement::getText).collect(Collectors.toList());
    }
}
