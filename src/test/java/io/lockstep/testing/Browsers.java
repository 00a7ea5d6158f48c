package io.lockstep.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * The browsers a test class drives: {@link #main()} is started on first use and shared by every test of
 * the class (Chromium costs about a second to start); {@link #second()} is an independent session (own
 * process, own profile, own cookies) for tests that watch one browser's action from another. Register as
 * {@code @RegisterExtension static final Browsers browsers = new Browsers();}: they quit after the class,
 * and a failed test leaves a screenshot of the main browser as {@code target/screenshots/failed-<test>.png}.
 */
public final class Browsers implements AfterAllCallback, TestWatcher {
    private final List<Browser> started = new ArrayList<>();
    private Browser main;
    private Browser second;

    public synchronized Browser main() {
        if (main == null) {
            main = track(Browser.start());
        }
        return main;
    }

    public synchronized Browser second() {
        if (second == null) {
            second = track(Browser.start());
        }
        return second;
    }

    private Browser track(Browser b) {
        started.add(b);
        return b;
    }

    @Override
    public synchronized void testFailed(ExtensionContext context, Throwable cause) {
        if (main != null) {
            try {
                main.screenshot("failed-" + context.getRequiredTestClass().getSimpleName() + "-"
                        + context.getDisplayName().replaceAll("[^A-Za-z0-9_.-]+", "_"));
            } catch (RuntimeException ignored) {
                // the failure itself is what the report needs
            }
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        for (Browser b : started) {
            try {
                b.close();
            } catch (RuntimeException ignored) {
                // one browser failing to quit must not keep the others running
            }
        }
        started.clear();
        main = null;
        second = null;
    }
}
