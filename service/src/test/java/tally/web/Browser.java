package tally.web;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium per test class, driven by Debian's chromedriver: no Selenium Manager download,
 * so it works offline. Each browser gets a fresh profile directory, removed
 * afterwards. When a test fails, a screenshot and the page source are saved under
 * {@code target/ui-failures/} before the browser goes away.
 *
 * <p>Use as {@code @RegisterExtension static final Browser browser = Browser.withScript();}
 * ({@link #withoutScript()} for a profile with JavaScript disabled).
 */
public final class Browser implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    static final Path CHROMEDRIVER = Path.of(System.getProperty("tally.chromedriver", "/usr/bin/chromedriver"));
    static final Path CHROMIUM = Path.of(System.getProperty("tally.chromium", "/usr/bin/chromium"));
    static final Dimension DESKTOP = new Dimension(1280, 900);
    private static final Path FAILURES = Path.of("target", "ui-failures");

    private final boolean javascript;
    private Path profile;
    private ChromeDriverService service;
    private ChromeDriver driver;

    private Browser(boolean javascript) {
        this.javascript = javascript;
    }

    public static Browser withScript() {
        return new Browser(true);
    }

    /** A second profile with JavaScript off: what a person with script blocked sees. */
    public static Browser withoutScript() {
        return new Browser(false);
    }

    public WebDriver driver() {
        return driver;
    }

    /** Waits up to {@code seconds} for a condition; the page is polled, never slept on blindly. */
    public WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(50));
    }

    public Object script(String source, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(source, args);
    }

    /** Saves a PNG of the whole page (the window is stretched to the page's height first). */
    public void screenshotWholePage(Path file) throws IOException {
        long height = ((Number) script("return Math.ceil(document.documentElement.scrollHeight);")).longValue();
        Dimension before = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(height + 140, 6000)));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("UI tests need Chromium and its driver at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver");
        }
        profile = Files.createTempDirectory("tally-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-extensions", "--disable-features=Translate,MediaRouter", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--window-size=" + DESKTOP.getWidth() + "," + DESKTOP.getHeight(),
                "--user-data-dir=" + profile.toAbsolutePath());
        if (!javascript) {
            options.setExperimentalOption("prefs", Map.of("profile.managed_default_content_settings.javascript", 2));
        }
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File("target/chromedriver-" + context.getRequiredTestClass().getSimpleName() + ".log"))
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (service != null) {
                service.stop();
            }
            deleteTree(profile);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (driver == null) {
            return;
        }
        String base = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        try {
            Files.createDirectories(FAILURES);
            Files.write(FAILURES.resolve(base + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            Files.writeString(FAILURES.resolve(base + ".html"),
                    "<!-- " + driver.getCurrentUrl() + " -->\n" + driver.getPageSource(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // Best effort: a browser helper may still be closing a file in its temp profile.
                }
            });
        }
    }
}
