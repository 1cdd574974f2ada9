package tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
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
import tally.server.TokenFiles;

/** A person on a server with tokens, in headless Chromium: sign in, upload, delete, sign out. */
@Tag("ui")
class SignInUiTest {

    @RegisterExtension
    @Order(1)
    static final TallyServerExtension server = new TallyServerExtension(c -> c.tokenFile(TokenFiles.create()));

    @RegisterExtension
    @Order(2)
    static final Browser browser = Browser.withScript();

    @TempDir
    Path temp;

    private WebDriver driver() {
        return browser.driver();
    }

    private String url(String path) {
        return server.baseUri().resolve(path).toString();
    }

    @BeforeEach
    void startSignedOut() {
        driver().get(url("/signin"));
        driver().manage().deleteAllCookies();
    }

    private void signIn(String token) {
        driver().findElement(By.id("token")).sendKeys(token);
        driver().findElement(By.id("signin-submit")).click();
    }

    @Test
    void a_person_who_is_not_signed_in_is_sent_to_sign_in_with_the_reason() {
        driver().get(url("/"));

        browser.waitUpTo(10).until(ExpectedConditions.urlContains("/signin"));
        assertThat(driver().findElement(By.id("signin-notice")).getText()).isEqualTo("Sign in to add or delete datasets.");
        assertThat(driver().findElement(By.id("sign-in-link")).getText()).isEqualTo("Sign in");
        assertThat(driver().findElements(By.id("dataset-form"))).isEmpty();
    }

    @Test
    void signed_in_a_person_uploads_with_live_progress_deletes_then_signs_out_and_is_refused_again() throws Exception {
        driver().get(url("/"));
        signIn(TokenFiles.ALICE);
        browser.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("dataset-form")));
        assertThat(driver().getCurrentUrl()).isEqualTo(url("/"));
        assertThat(driver().findElement(By.id("signed-in-as")).getText()).isEqualTo("Signed in as alice");

        Path file = UiData.bookmarks(temp, "bookmarks-20mb.jsonl", 7, 20_000_000);
        Counters expected = UiData.countersOf(file, Files.createDirectories(temp.resolve("spill")));
        driver().findElement(By.id("name")).sendKeys("Uploaded when signed in");
        driver().findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
        browser.script("""
                sessionStorage.removeItem('lines-seen');
                new MutationObserver(() => {
                  const seen = JSON.parse(sessionStorage.getItem('lines-seen') || '[]');
                  const lines = document.getElementById('live-lines').textContent;
                  if (seen[seen.length - 1] !== lines) sessionStorage.setItem('lines-seen', JSON.stringify([...seen, lines]));
                }).observe(document.getElementById('progress'), { subtree: true, childList: true, characterData: true });
                """);
        driver().findElement(By.id("submit")).click();
        browser.waitUpTo(120).until(ExpectedConditions.urlMatches(".*/datasets/w[0-9a-f]+$"));
        browser.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("dataset-name")));
        String id = driver().getCurrentUrl().replaceFirst(".*/datasets/", "");
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) browser.script("return JSON.parse(sessionStorage.getItem('lines-seen') || '[]');");
        // The live counter was written from the WebSocket's events, so the socket took the session (without it
        // the handshake is refused). Which counts it showed before the result page depends on the machine's
        // speed; WebUiTest checks counts in between with a larger file.
        assertThat(lines).as("live line counts from the WebSocket").isNotEmpty()
                .allSatisfy(count -> assertThat(Long.parseLong(count.replace(",", ""))).isBetween(0L, expected.lines()));
        assertThat(driver().findElement(By.id("count-lines")).getText()).isEqualTo(UiData.grouped(expected.lines()));

        driver().get(url("/datasets"));
        driver().findElement(By.cssSelector("tr[data-id='" + id + "'] .danger")).click();
        browser.waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-delete"))).click();
        browser.waitUpTo(10).until(ExpectedConditions.urlContains("/datasets?deleted=" + id));
        assertThat(driver().findElements(By.cssSelector("tr[data-id='" + id + "']"))).isEmpty();

        driver().findElement(By.id("sign-out")).click();
        browser.waitUpTo(10).until(ExpectedConditions.urlContains("/signin?why=signedout"));
        assertThat(driver().findElement(By.id("signin-notice")).getText()).isEqualTo("You are signed out.");
        driver().get(url("/"));
        browser.waitUpTo(10).until(ExpectedConditions.urlContains("/signin?why=write"));
        assertThat(driver().findElements(By.id("dataset-form"))).isEmpty();
    }

    @Test
    void a_wrong_token_gets_a_readable_message_and_no_session() {
        driver().get(url("/signin"));
        signIn("this-is-not-a-token-of-this-server");

        String error = browser.waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")))
                .getText();
        assertThat(error).contains("That token does not work here").contains("ask the server's operator");
        assertThat(driver().getPageSource()).doesNotContain("this-is-not-a-token").doesNotContain("problem+json");
        assertThat(driver().manage().getCookieNamed("tally_session")).isNull();
        driver().get(url("/"));
        browser.waitUpTo(10).until(ExpectedConditions.urlContains("/signin?why=write"));
    }
}
