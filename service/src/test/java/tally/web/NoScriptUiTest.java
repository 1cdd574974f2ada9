package tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import tally.job.Counters;
import tally.server.TallyServerExtension;

/**
 * The same form in a Chromium profile with JavaScript disabled: a plain multipart POST to
 * {@code /datasets}, answered with a redirect to the result page or the form with a message.
 */
@Tag("ui")
class NoScriptUiTest {

    /** A small cap, so the over-the-cap case needs only a few megabytes. */
    static final long CAP = 2_000_000;

    @RegisterExtension
    @Order(1)
    static final TallyServerExtension server = new TallyServerExtension(config -> config.maxUploadBytes(CAP));

    @RegisterExtension
    @Order(2)
    static final Browser browser = Browser.withoutScript();

    @TempDir
    Path temp;

    private WebDriver driver() {
        return browser.driver();
    }

    private String url(String path) {
        return server.baseUri().resolve(path).toString();
    }

    @Test
    void without_script_the_plain_form_post_reaches_a_correct_result_page() throws Exception {
        Path file = UiData.bookmarks(temp, "small.jsonl", 7, 1_000_000);
        Counters expected = UiData.countersOf(file, Files.createDirectories(temp.resolve("spill")));

        driver().get(url("/"));
        assertThat(driver().getTitle()).isEqualTo("New dataset · Tally");
        driver().findElement(By.id("name")).sendKeys("Posted without script");
        driver().findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        driver().findElement(By.id("submit")).click();

        // The server made the id (16 base-36 characters): the script, had it run, makes "w" + 24 hex digits.
        browser.waitUpTo(30).until(ExpectedConditions.urlMatches(".*/datasets/[0-9a-z]{16}$"));
        assertThat(driver().findElement(By.id("dataset-name")).getText()).isEqualTo("Posted without script");
        assertThat(driver().findElement(By.id("count-lines")).getText()).isEqualTo(UiData.grouped(expected.lines()));
        assertThat(driver().findElement(By.id("count-kept")).getText()).isEqualTo(UiData.grouped(expected.kept()));
        assertThat(driver().findElement(By.id("count-skipped")).getText()).isEqualTo(UiData.grouped(expected.skipped()));
        assertThat(driver().findElements(By.cssSelector("#chart-hour rect.bar"))).hasSize(24);
    }

    @Test
    void without_script_an_empty_submission_shows_the_form_again_with_help() {
        driver().get(url("/"));
        driver().findElement(By.id("name")).sendKeys("Nothing in it");
        driver().findElement(By.id("submit")).click();

        String error = browser.waitUpTo(10)
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error"))).getText();
        assertThat(error).contains("Nothing to tally").contains("paste some lines");
        assertThat(driver().findElement(By.id("name")).getAttribute("value")).isEqualTo("Nothing in it");
        assertThat(driver().findElement(By.id("dataset-form"))).isNotNull();

        driver().get(url("/datasets"));
        assertThat(driver().findElement(By.id("main")).getText()).doesNotContain("Nothing in it");
    }

    @Test
    void without_script_a_refused_paste_comes_back_in_the_form_with_its_name() {
        driver().get(url("/"));
        driver().findElement(By.id("name")).sendKeys("Notes, not data");
        driver().findElement(By.id("text")).sendKeys("these are notes\nnot one line of JSON");
        driver().findElement(By.id("submit")).click();

        browser.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error")));
        assertThat(driver().findElement(By.id("name")).getAttribute("value")).isEqualTo("Notes, not data");
        assertThat(driver().findElement(By.id("text")).getAttribute("value"))
                .isEqualTo("these are notes\nnot one line of JSON");
    }

    @Test
    void without_script_a_file_over_the_cap_gets_a_message_naming_the_cap() throws Exception {
        Path file = UiData.bookmarks(temp, "too-big.jsonl", 9, 3 * CAP);

        driver().get(url("/"));
        assertThat(driver().findElement(By.id("upload-cap")).getText()).isEqualTo("2 MB");
        driver().findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        driver().findElement(By.id("submit")).click();

        String error = browser.waitUpTo(30)
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("form-error"))).getText();
        assertThat(error).contains("That file is too large").contains("up to 2 MB");
    }
}
