package io.lockstep.http.dashboard;

import io.lockstep.testing.Browser;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the browser tests do on the dashboard's pages, by the element hooks the templates promise
 * ({@code #token}, {@code #sign-in}, {@code #sign-out}, {@code #matrix td[data-env][data-template]}, …).
 */
final class DashboardPages {
    static final Duration WAIT = Duration.ofSeconds(10);
    /** The session cookie's name, fixed by the design (docs/dashboard.md). */
    static final String COOKIE = "lockstep_session";
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private DashboardPages() {
    }

    /** Signs in through the form as a person would (types the token, presses the button) and waits for the matrix. */
    static void signIn(Browser b, String base, String token) {
        b.clearSession();
        b.clearConsole();
        b.open(base + "/sign-in");
        b.driver.findElement(By.id("token")).sendKeys(token);
        b.driver.findElement(By.id("sign-in")).click();
        waitForH1(b, "Matrix");
    }

    static void waitForH1(Browser b, String text) {
        // the page may be replaced while it is read (a navigation, or live.js swapping <main>): look again. Chromium
        // reports an element of a replaced document as stale, or (CI, 2026-11-30) as "Node with given id does not
        // belong to the document", a plain WebDriverException.
        new WebDriverWait(b.driver, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.WebDriverException.class)
                .withMessage(() -> "h1 \"" + text + "\" on " + b.driver.getCurrentUrl()
                        + "; the page says: " + b.driver.findElement(By.tagName("body")).getText())
                .until(d -> d.findElements(By.tagName("h1")).stream().anyMatch(h -> h.getText().equals(text)));
        assertThat(b.driver.findElements(By.tagName("h1"))).as("one h1 per page").hasSize(1);
    }

    static String path(Browser b) {
        return URI.create(b.driver.getCurrentUrl()).getPath();
    }

    static WebElement cell(Browser b, String environment, String template) {
        return b.driver.findElement(By.cssSelector("#matrix td[data-env='" + environment + "'][data-template='"
                + template + "']"));
    }

    /** Text of an element whether or not it is showing (e.g. inside a closed {@code <details>}). */
    static String text(WebElement e) {
        return Objects.requireNonNullElse(e.getDomProperty("textContent"), "").replaceAll("\\s+", " ").trim();
    }

    static Cookie sessionCookie(Browser b) {
        return b.driver.manage().getCookieNamed(COOKIE);
    }

    /** The CSRF value the page's own forms carry (the sign-out form is on every signed-in page). */
    static String csrf(Browser b) {
        return b.driver.findElement(By.cssSelector("#sign-out-form input[name=csrf]")).getDomProperty("value");
    }

    /**
     * A POST the page's script sends with the browser's cookie (same origin, so the browser adds
     * {@code Origin} and {@code Sec-Fetch-Site: same-origin} itself); the status, 0 for a redirect.
     */
    static long postFromPage(Browser b, String path, String formBody) {
        Object status = ((JavascriptExecutor) b.driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {method: 'POST', credentials: 'same-origin', redirect: 'manual',
                      headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: arguments[1]})
                  .then(r => done(r.status)).catch(e => done(-1));
                """, path, formBody);
        return ((Number) status).longValue();
    }

    /** A request outside the browser carrying a copy of its session cookie. */
    static HttpResponse<String> withCookie(String base, String method, String path, Cookie cookie, String formBody,
                                           String origin) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (cookie != null) {
            r.header("Cookie", cookie.getName() + "=" + cookie.getValue());
        }
        if (origin != null) {
            r.header("Origin", origin);
        }
        if (method.equals("POST")) {
            r.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(formBody == null ? "" : formBody));
        } else {
            r.GET();
        }
        try {
            return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void assertNoDialog(Browser b) {
        assertThatThrownBy(() -> b.driver.switchTo().alert()).as("no alert() ran on " + b.driver.getCurrentUrl())
                .isInstanceOf(NoAlertPresentException.class);
    }
}
