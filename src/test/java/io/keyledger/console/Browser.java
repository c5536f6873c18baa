package io.keyledger.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The system Chromium, headless, driven by the system chromedriver (no Selenium Manager: the paths are given), with
 * a fresh profile and download folder each time. {@link #checkPage} is what every console page must pass: its
 * screenshot in {@code target/console/}, the security headers, axe-core with no serious or critical violation, and
 * no Content-Security-Policy violation in the browser's log.
 *
 * <p>
 * Without Chromium the tests skip with the reason; with {@code CI=true}, {@code KEYLEDGER_REQUIRE_CHROMIUM=true} or
 * {@code -Dbrowser-tests.require-chromium=true} (.ci/run) that is a failure instead.
 */
final class Browser implements AutoCloseable {

    /**
     * Debian's paths; -Dbrowser-tests.chromium and -Dbrowser-tests.chromedriver point elsewhere (not under
     * {@code keyledger.}: the service's config validation refuses unknown names there).
     */
    static final Path CHROMIUM = Path.of(System.getProperty("browser-tests.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("browser-tests.chromedriver", "/usr/bin/chromedriver"));
    static final String REQUIRE_ENV = "KEYLEDGER_REQUIRE_CHROMIUM";
    static final String REQUIRE_PROPERTY = "browser-tests.require-chromium";
    static final Path SCREENSHOTS = Path.of("target", "console");
    static final int WIDE = 1280;
    static final int NARROW = 390;
    /** A deadline for the page to settle, never a measurement: the assertions are about what it shows. */
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String AXE = "META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";
    private static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage");

    final String base;
    final ChromeDriver driver;
    final Path downloads;
    private final Path profile;
    private final HttpClient http = HttpClient.newHttpClient();

    private Browser(String base, ChromeDriver driver, Path profile, Path downloads) {
        this.base = base;
        this.driver = driver;
        this.profile = profile;
        this.downloads = downloads;
    }

    /** Skips (or fails, where Chromium is required) when the system Chromium or its driver is missing. */
    static void assumeChromium() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String reason = "the console's browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                + CHROMEDRIVER + "): apt-get install chromium chromium-driver";
        if ("true".equalsIgnoreCase(System.getenv("CI")) || "true".equalsIgnoreCase(System.getenv(REQUIRE_ENV))
                || Boolean.getBoolean(REQUIRE_PROPERTY)) {
            Assertions.fail(reason + " (required here: CI=true or " + REQUIRE_ENV + "=true)");
        }
        System.err.println("[WARNING] console browser test skipped: " + reason);
        Assumptions.abort(reason);
    }

    /** A browser on {@code base} (http://localhost:port), 1280 px wide. */
    static Browser open(String base) {
        assumeChromium();
        try {
            Path profile = Files.createTempDirectory("keyledger-chromium-profile");
            Path downloads = Files.createTempDirectory("keyledger-chromium-downloads");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(FLAGS);
            options.addArguments("--user-data-dir=" + profile, "--window-size=" + WIDE + ",900");
            options.setExperimentalOption("prefs",
                    Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.executeCdpCommand("Browser.setDownloadBehavior",
                    Map.of("behavior", "allow", "downloadPath", downloads.toString()));
            return new Browser(base, driver, profile, downloads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads the console at a route (#/…) and waits until its page has rendered. */
    Browser go(String route) {
        String url = base + "/console/" + route;
        if (url.equals(driver.getCurrentUrl())) {
            driver.navigate().refresh(); // the same URL again is no navigation at all
        } else {
            driver.get(url); // a hash change within the page, as a link click would make
        }
        return settled();
    }

    /** Waits until the page has a heading and nothing is loading any more. */
    Browser settled() {
        try {
            waitUpTo(SETTLE).until(d -> (Boolean) ((JavascriptExecutor) d)
                    .executeScript("return document.readyState === 'complete' && !!document.querySelector('main h1')"
                            + " && !document.querySelector('[aria-busy]')"));
        } catch (TimeoutException e) {
            throw stuck(e);
        }
        return this;
    }

    /** What the page showed and logged when a wait ran out (and a screenshot, target/console/stuck.png). */
    private AssertionError stuck(TimeoutException e) {
        screenshot("stuck");
        String logs = driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).reduce("",
                (a, b) -> a + "\n" + b);
        return new AssertionError("the page did not settle at " + driver.getCurrentUrl() + "; it shows:\n" + bodyText()
                + "\nbrowser log:" + logs, e);
    }

    /**
     * A wait that looks again when an element it read was re-rendered meanwhile (the console replaces a page's
     * elements when it renders it): a stale element means "not yet", never a failure.
     */
    private org.openqa.selenium.support.ui.FluentWait<org.openqa.selenium.WebDriver> waitUpTo(
            java.time.Duration deadline) {
        return new WebDriverWait(driver, deadline).ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** Waits for the page with this heading (after an action that navigates), settled. */
    Browser expectHeading(String heading) {
        try {
            waitUpTo(SETTLE).until(
                    d -> d.findElements(By.cssSelector("main h1")).stream().anyMatch(h -> heading.equals(h.getText())));
        } catch (TimeoutException e) {
            throw stuck(e);
        }
        return settled();
    }

    /** Waits for an element to be there. */
    WebElement find(By by) {
        try {
            return waitUpTo(SETTLE).until(ExpectedConditions.presenceOfElementLocated(by));
        } catch (TimeoutException e) {
            throw stuck(e);
        }
    }

    String heading() {
        return driver.findElement(By.cssSelector("main h1")).getText();
    }

    /** The control a visible label names (every control has one). */
    WebElement field(String label) {
        WebElement labelElement = waitUpTo(SETTLE).until(ExpectedConditions
                .visibilityOfElementLocated(By.xpath("//label[normalize-space(.)=" + xpathLiteral(label) + "]")));
        return driver.findElement(By.id(labelElement.getAttribute("for")));
    }

    Browser type(String label, String text) {
        WebElement input = field(label);
        input.clear();
        input.sendKeys(text);
        return this;
    }

    /** Clicks the button with this text (or aria-label), in an open dialog if there is one. */
    Browser press(String name) {
        String scope = driver.findElements(By.cssSelector("dialog[open]")).isEmpty() ? "//" : "//dialog[@open]//";
        String literal = xpathLiteral(name);
        waitUpTo(SETTLE)
                .until(ExpectedConditions.elementToBeClickable(
                        By.xpath(scope + "button[normalize-space(.)=" + literal + " or @aria-label=" + literal + "]")))
                .click();
        return this;
    }

    /** Waits until the text appears in the page (or a dialog), answering the page's text. */
    String waitForText(String text) {
        return waitForText(text, SETTLE);
    }

    /** The same with a deadline of its own (a whole-log walk on a busy machine). */
    String waitForText(String text, Duration deadline) {
        try {
            waitUpTo(deadline).until(d -> bodyText().contains(text));
        } catch (TimeoutException e) {
            throw stuck(e);
        }
        return bodyText();
    }

    String bodyText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    Object script(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    void width(int pixels) {
        driver.manage().window().setSize(new Dimension(pixels, 900));
    }

    /**
     * What every page must pass, at both widths: screenshots (target/console/{name}.png and {name}-390.png), the
     * security headers of what the page loaded, no CSP violation, no serious or critical axe-core violation, and no
     * horizontal scrolling of the page itself at 390 px.
     */
    void checkPage(String name) {
        settled();
        assertSecurityHeaders();
        assertNoAccessibilityViolations(name);
        screenshot(name);
        width(NARROW);
        settled();
        long overflow = ((Number) script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")).longValue();
        assertEquals(0, overflow, name + " scrolls sideways at " + NARROW + " px");
        screenshot(name + "-" + NARROW);
        width(WIDE);
        assertNoCspViolations(name);
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fetched with a plain HTTP client: index.html and every script and stylesheet the page loaded. */
    void assertSecurityHeaders() {
        @SuppressWarnings("unchecked")
        List<String> assets = (List<String>) script(
                "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/console/'))");
        Stream.concat(Stream.of(base + "/console/"), assets.stream()).distinct().forEach(this::assertHeadersOf);
    }

    void assertHeadersOf(String url) {
        HttpResponse<Void> response = fetch(url);
        assertEquals(200, response.statusCode(), url);
        String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.startsWith("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                + " connect-src 'self'"), url + " CSP: " + csp);
        assertTrue(csp.contains("base-uri 'none'") && csp.contains("frame-ancestors 'none'")
                && csp.contains("form-action 'self'"), url + " CSP: " + csp);
        assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(null), url);
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(null), url);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), url);
    }

    HttpResponse<Void> fetch(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** axe-core's own run over the whole document; serious and critical violations fail, with what axe said. */
    JsonArray assertNoAccessibilityViolations(String name) {
        script(axeSource());
        String json = (String) driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']})"
                + ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify([{impact: 'critical', id: 'axe-error', help: String(e)}])));");
        JsonArray violations = new JsonArray(json);
        List<String> bad = violations.stream().map(JsonObject.class::cast)
                .filter(v -> "serious".equals(v.getString("impact")) || "critical".equals(v.getString("impact")))
                .map(v -> v.getString("id") + ": " + v.getString("help") + " " + v.getValue("nodes")).toList();
        assertTrue(bad.isEmpty(), name + ": axe-core found " + bad);
        // the rest (minor, moderate) are reported, for the docs
        System.out.printf("[console] axe-core on %s: %d violations%s%n", name, violations.size(),
                violations.stream().map(JsonObject.class::cast)
                        .map(v -> " " + v.getString("id") + " (" + v.getString("impact") + ")")
                        .reduce("", String::concat));
        return violations;
    }

    void assertNoCspViolations(String name) {
        List<String> violations = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).toList();
        assertTrue(violations.isEmpty(), name + ": " + violations);
    }

    private static String axeSource() {
        try (InputStream in = Browser.class.getClassLoader().getResourceAsStream(AXE)) {
            if (in == null) {
                throw new IllegalStateException("axe-core is not on the test classpath: " + AXE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String xpathLiteral(String text) {
        return text.contains("'") ? "\"" + text + "\"" : "'" + text + "'";
    }

    @Override
    public void close() {
        driver.quit();
        for (Path dir : List.of(profile, downloads)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp folder left behind is harmless
            }
        }
    }
}
