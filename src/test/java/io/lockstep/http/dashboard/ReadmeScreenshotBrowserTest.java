package io.lockstep.http.dashboard;

import io.lockstep.config.ConfigLoader;
import io.lockstep.config.ConfigNode;
import io.lockstep.config.LockstepConfig;
import io.lockstep.config.Yaml;
import io.lockstep.server.DemoSeeder;
import io.lockstep.testing.Browser;
import io.lockstep.testing.Browsers;
import io.lockstep.testing.TestDatabases;
import io.lockstep.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's screenshot of the demo's matrix is taken here, in headless Chromium, from {@code lockstep demo}'s
 * own configuration and seed. Run with {@code -Dlockstep.updateScreenshots=true} to (re)write
 * {@code docs/dashboard-matrix.png}; otherwise the test fails when the committed picture no longer shows the
 * page as it renders now: the page must load (its h1, the seed incident) and a fresh screenshot at the same
 * window size must have the committed picture's dimensions (a page that grew or shrank, or lost its layout,
 * changes the height).
 */
class ReadmeScreenshotBrowserTest {
    static final Path COMMITTED = Path.of("docs", "dashboard-matrix.png");
    static final String UPDATE = "lockstep.updateScreenshots";
    private static final String ADMIN = "lsk_demo_admin_screenshot_0001";
    /** A Wednesday noon: never in the demo's Friday-evening freeze, whatever day the test runs. */
    private static final Instant WEDNESDAY = ZonedDateTime.now(ZoneOffset.UTC).plusDays(1)
            .with(TemporalAdjusters.next(DayOfWeek.WEDNESDAY)).withHour(12).withMinute(0).withSecond(0).withNano(0)
            .toInstant();

    @RegisterExtension
    static final Browsers browsers = new Browsers();
    @TempDir
    Path dir;

    @Test
    void theReadmeShowsTheDemosMatrixAsItRendersNow() throws Exception {
        var db = TestDatabases.sqlite(dir);
        LockstepConfig config;
        try (InputStream in = ReadmeScreenshotBrowserTest.class.getResourceAsStream("/demo-config.yaml")) {
            config = ConfigLoader.parse(new ConfigNode(Yaml.read(in), ""), Map.of("LOCKSTEP_ADMIN_TOKEN", ADMIN,
                    "LOCKSTEP_DEMO_APPROVER_TOKEN", "lsk_demo_approver_screenshot_0002",
                    "LOCKSTEP_DATABASE_URL", db.url(), "LOCKSTEP_PORT", "0"));
        }
        try (TestServer s = new TestServer(db, config)) {
            s.clock.freezeAt(WEDNESDAY);
            new DemoSeeder(s.server, s.clock).seed();
            Browser b = browsers.main();
            DashboardPages.signIn(b, s.url(), ADMIN);
            assertThat(DashboardPages.cell(b, "prod", "platform-agent").getDomAttribute("data-status")).isEqualTo("stuck");
            Path fresh = b.screenshot("matrix");
            b.assertTokenNowhere(ADMIN);

            if (Boolean.getBoolean(UPDATE)) {
                Files.createDirectories(COMMITTED.getParent());
                Files.copy(fresh, COMMITTED, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            assertThat(COMMITTED).as("the README's screenshot; write it with mvn test -Dtest=ReadmeScreenshotBrowserTest -D"
                    + UPDATE + "=true").exists();
            BufferedImage committed = ImageIO.read(COMMITTED.toFile());
            BufferedImage now = ImageIO.read(fresh.toFile());
            assertThat(new int[]{now.getWidth(), now.getHeight()})
                    .as("the matrix as it renders now (%s) has the size of %s; if the change is intended, rewrite it with -D%s=true",
                            fresh, COMMITTED, UPDATE)
                    .containsExactly(committed.getWidth(), committed.getHeight());
        }
    }
}
