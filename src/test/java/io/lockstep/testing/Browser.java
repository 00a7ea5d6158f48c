package io.lockstep.testing;

import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real headless Chromium driven through the system's chromedriver. Both paths are given to Selenium
 * explicitly, so Selenium Manager never runs (it would try to download a browser, and the build's
 * network is closed). Each browser gets a fresh profile directory and a fixed laptop-sized window, so
 * screenshots are comparable between runs. Starting one costs about a second: test classes share one
 * through {@link Browsers}.
 */
public final class Browser implements AutoCloseable {
    /** Installs what the browser tests drive (Debian/Ubuntu, as root). */
    public static final String INSTALL_CHROMIUM = "apt-get install -y chromium chromium-driver";
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** A laptop screen: the dashboard must work at this size (issue 14, "responsive down to a laptop"). */
    public static final Dimension WINDOW = new Dimension(1366, 900);
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** axe-core, vendored under src/test/resources/axe (MPL-2.0, see LICENSE there). */
    public static final String AXE_VERSION = "4.14.1";

    private static volatile String axeSource;
    /**
     * Selenium looks for a CDP binding matching the browser's version and warns when the system Chromium is
     * newer than it knows; the harness uses only chromedriver's version-independent CDP passthrough.
     * (Held in a field: java.util.logging keeps loggers weakly.)
     */
    private static final java.util.logging.Logger CDP_VERSION_WARNING = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(Level.OFF);
        return logger;
    }

    public final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final List<String> console = new ArrayList<>();

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /** Starts a browser, or skips/fails the test through {@link RealServices#missing} when none is installed. */
    public static Browser start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw RealServices.missing("headless Chromium is not installed (" + CHROMIUM + " and " + CHROMEDRIVER
                    + " must both exist)", INSTALL_CHROMIUM, null);
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("lockstep-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--lang=en-US",
                "--window-size=" + WINDOW.getWidth() + "," + WINDOW.getHeight(),
                "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        // an alert() stays open for the test to see (the default dismisses it and fails a later, unrelated command)
        options.setUnhandledPromptBehaviour(org.openqa.selenium.UnexpectedAlertBehaviour.IGNORE);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
            return new Browser(driver, service, profile);
        } catch (WebDriverException e) {
            service.stop();
            deleteTree(profile);
            throw RealServices.missing("headless Chromium did not start: " + e.getMessage().lines().findFirst().orElse(""),
                    INSTALL_CHROMIUM, e);
        }
    }

    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * The whole page (not only the viewport) as {@code target/screenshots/<name>.png}: a page that grows or
     * shrinks shows in the picture's height.
     */
    public Path screenshot(String name) {
        Path file = SCREENSHOTS.resolve(name + ".png");
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(file, pageScreenshot());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page as PNG bytes: the window's width, the document's height. */
    public byte[] pageScreenshot() {
        Number width = (Number) js("return document.documentElement.clientWidth;");
        Number height = (Number) js("return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0);");
        if (height.intValue() <= ((Number) js("return window.innerHeight;")).intValue()) {
            return driver.getScreenshotAs(OutputType.BYTES);
        }
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
                "format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        return Base64.getDecoder().decode((String) shot.get("data"));
    }

    /** One axe-core finding: rule id, impact and the CSS selectors of the offending nodes. */
    public record A11yViolation(String id, String impact, String help, List<String> targets) {
        @Override
        public String toString() {
            return id + " (" + impact + ": " + help + ") at " + targets;
        }
    }

    /**
     * Runs the vendored axe-core on the current page. It is injected through WebDriver, which the page's
     * Content-Security-Policy does not govern, so the check works on a page that allows only its own scripts.
     */
    @SuppressWarnings("unchecked")
    public List<A11yViolation> axe() {
        if (js("return typeof window.axe;").equals("undefined")) {
            js(axeSource());
        }
        Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {resultTypes: ['violations']})
                   .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
                        targets: v.nodes.map(n => n.target.join(' '))}))))
                   .catch(e => done({error: String(e)}));
                """);
        if (result instanceof Map<?, ?> error) {
            throw new AssertionError("axe-core failed: " + error.get("error"));
        }
        List<A11yViolation> out = new ArrayList<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) result) {
            out.add(new A11yViolation((String) v.get("id"), (String) v.get("impact"), (String) v.get("help"),
                    (List<String>) v.get("targets")));
        }
        return out;
    }

    /** No serious or critical axe-core violation on the current page; on failure lists each rule and its nodes. */
    public void assertNoSeriousA11yViolations() {
        List<A11yViolation> serious = axe().stream()
                .filter(v -> v.impact().equals("serious") || v.impact().equals("critical")).toList();
        assertThat(serious).as("axe-core %s serious/critical violations on %s", AXE_VERSION, driver.getCurrentUrl())
                .isEmpty();
    }

    /**
     * The token appears nowhere the browser keeps or shows: the page source, any cookie's name or value,
     * localStorage and sessionStorage (keys and values), the current URL, and the URL of every navigation
     * and resource the page loaded (a token put in a query string or redirect would show there).
     */
    @SuppressWarnings("unchecked")
    public void assertTokenNowhere(String token) {
        String url = driver.getCurrentUrl();
        assertThat(driver.getPageSource()).as("page source of %s", url).doesNotContain(token);
        for (Cookie c : driver.manage().getCookies()) {
            assertThat(c.getName() + "=" + c.getValue()).as("cookie %s on %s", c.getName(), url).doesNotContain(token);
        }
        List<String> storage = (List<String>) js("""
                const out = [];
                for (const s of [window.localStorage, window.sessionStorage]) {
                  for (let i = 0; i < s.length; i++) { const k = s.key(i); out.push(k + '=' + s.getItem(k)); }
                }
                return out;
                """);
        assertThat(storage).as("local/session storage on %s", url).noneMatch(s -> s.contains(token));
        assertThat(url).as("current URL").doesNotContain(token);
        List<String> loaded = (List<String>) js("""
                return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
                    .map(e => e.name);
                """);
        assertThat(loaded).as("navigation/resource URLs of %s", url).noneMatch(s -> s.contains(token));
        assertThat(String.join("\n", consoleMessages())).as("console of %s", url).doesNotContain(token);
    }

    /**
     * Console messages since the browser started or {@link #clearConsole()} (e.g. a CSP refusal, a failed
     * asset or a script error), as "LEVEL message".
     */
    public List<String> consoleMessages() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(e.getLevel() + " " + e.getMessage());
        }
        return List.copyOf(console);
    }

    /** Console errors (level SEVERE) since the browser started or {@link #clearConsole()}. */
    public List<String> consoleErrors() {
        return consoleMessages().stream().filter(m -> m.startsWith(Level.SEVERE.toString())).toList();
    }

    public void clearConsole() {
        consoleMessages();
        console.clear();
    }

    /** Forgets the session: cookies and storage of the current origin, as a browser a user just opened. */
    public void clearSession() {
        try {
            driver.switchTo().alert().dismiss(); // a dialog an earlier (failed) test left open
        } catch (org.openqa.selenium.NoAlertPresentException none) {
            // the usual case
        }
        driver.manage().deleteAllCookies();
        if (driver.getCurrentUrl().startsWith("http")) {
            js("window.localStorage.clear(); window.sessionStorage.clear();");
        }
    }

    private static String axeSource() {
        if (axeSource == null) {
            try (InputStream in = Browser.class.getResourceAsStream("/axe/axe.min.js")) {
                if (in == null) {
                    throw new IllegalStateException("src/test/resources/axe/axe.min.js is missing");
                }
                axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return axeSource;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                new File(p.toString()).delete();
            }
        } catch (IOException ignored) {
            // a profile left in /tmp is harmless
        }
    }
}
