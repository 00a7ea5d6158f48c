package io.lockstep.testing;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The browser harness's own checks can fail: axe-core finds a real violation, and the token-leak
 * assertion finds a token in each place it claims to look. The pages come from a JDK HttpServer on
 * loopback (a real process-local HTTP server), so the browser loads them as it loads the dashboard.
 */
class BrowserHarnessTest {
    private static final String TOKEN = "harness-secret-0f3a9c";
    private static final String GOOD = """
            <!doctype html><html lang="en"><head><title>ok</title></head>
            <body><header><p>x</p></header><main><h1>Fine</h1><p>Readable text.</p></main></body></html>""";
    private static final String BAD = """
            <!doctype html><html lang="en"><head><title>bad</title></head>
            <body><main><h1>Bad</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
            <p style="color:#ccc;background:#fff">low contrast</p></main></body></html>""";

    @RegisterExtension
    static final Browsers browsers = new Browsers();
    private static HttpServer http;
    private static String base;

    @BeforeAll
    static void serve() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String body = path.equals("/bad") ? BAD : path.equals("/tall") ? GOOD.replace("<p>Readable text.</p>",
                    "<p style=\"height:2500px\">Readable text.</p>") : GOOD;
            if (path.equals("/cookie")) {
                ex.getResponseHeaders().add("Set-Cookie", "s=" + TOKEN + "; Path=/");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        http.start();
        base = "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        http.stop(0);
    }

    @Test
    void axeFindsSeriousViolationsAndPassesACleanPage() {
        Browser b = browsers.main();
        b.open(base + "/bad");
        assertThat(b.axe()).extracting(Browser.A11yViolation::id).contains("image-alt", "color-contrast");
        assertThatThrownBy(b::assertNoSeriousA11yViolations).hasMessageContaining("image-alt");
        b.open(base + "/good");
        b.assertNoSeriousA11yViolations();
    }

    @Test
    void tokenLeakAssertionLooksInCookiesStorageUrlsAndSource() {
        Browser b = browsers.main();
        b.clearSession();
        b.open(base + "/good");
        b.assertTokenNowhere(TOKEN);

        b.open(base + "/cookie");
        assertThatThrownBy(() -> b.assertTokenNowhere(TOKEN)).hasMessageContaining("cookie");
        b.clearSession();

        b.open(base + "/good");
        b.js("localStorage.setItem('k', arguments[0]);", TOKEN);
        assertThatThrownBy(() -> b.assertTokenNowhere(TOKEN)).hasMessageContaining("storage");
        b.clearSession();
        b.js("sessionStorage.setItem(arguments[0], 'v');", TOKEN);
        assertThatThrownBy(() -> b.assertTokenNowhere(TOKEN)).hasMessageContaining("storage");
        b.clearSession();

        b.open(base + "/good?t=" + TOKEN);
        assertThatThrownBy(() -> b.assertTokenNowhere(TOKEN)).hasMessageContaining("URL");
        b.open(base + "/good");
        b.js("fetch('/x?t=' + arguments[0]);", TOKEN);
        assertThatThrownBy(() -> {
            new org.openqa.selenium.support.ui.WebDriverWait(b.driver, java.time.Duration.ofSeconds(5)).until(d ->
                    // wait for the fetch's own entry: another resource (a favicon) may be listed first
                    Boolean.TRUE.equals(b.js("return performance.getEntriesByType('resource')"
                            + ".some(e => e.name.includes('/x?'));")));
            b.assertTokenNowhere(TOKEN);
        }).hasMessageContaining("resource URLs");

        b.open(base + "/good");
        b.js("document.body.setAttribute('data-x', arguments[0]);", TOKEN);
        assertThatThrownBy(() -> b.assertTokenNowhere(TOKEN)).hasMessageContaining("page source");
    }

    @Test
    void screenshotsAreWrittenAtTheWindowWidth() throws IOException {
        Browser b = browsers.main();
        b.open(base + "/good");
        Path file = b.screenshot("harness");
        byte[] png = Files.readAllBytes(file);
        assertThat(png).startsWith(new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        var image = javax.imageio.ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(Browser.WINDOW.getWidth());

        b.open(base + "/tall");
        var tall = javax.imageio.ImageIO.read(b.screenshot("harness-tall").toFile());
        assertThat(tall.getHeight()).as("the whole page, not the viewport").isGreaterThan(2500);
        assertThat(tall.getWidth()).isEqualTo(image.getWidth());
    }
}
