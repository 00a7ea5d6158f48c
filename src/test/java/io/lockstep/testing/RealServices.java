package io.lockstep.testing;

import org.opentest4j.TestAbortedException;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The one switch that decides what a test does when a real service it needs (PostgreSQL, the
 * distribution registry, skopeo, openssl, htpasswd) is missing: on a developer machine it is skipped
 * with a message naming the install command; when real services are mandatory it fails, because a
 * skipped suite would hide exactly the bugs it exists to catch.
 *
 * <p>Real services are mandatory when any of these is {@code true}: the environment variable
 * {@code CI} (set by CI runners and by {@code .ci/run}), the system property {@code CI}
 * ({@code mvn -DCI=true}), the system property {@value #PROPERTY}, or its older name
 * {@value #LEGACY_PROPERTY}. Every place that may skip for a missing service goes through
 * {@link #missing}; nothing else reads these inputs.
 */
public final class RealServices {
    public static final String PROPERTY = "lockstep.test.requireRealServices";
    /** The name the switch had when it covered only PostgreSQL; still honoured, for everything. */
    public static final String LEGACY_PROPERTY = "lockstep.test.requirePostgres";

    /** Installs every program the registry tests run (Debian/Ubuntu, as root). */
    public static final String INSTALL_REGISTRY_TOOLS = "apt-get install -y docker-registry skopeo apache2-utils openssl";
    /** Installs PostgreSQL and creates the role and database the tests connect with. */
    public static final String INSTALL_POSTGRES = "apt-get install -y postgresql, start it (pg_ctlcluster 15 main start),"
            + " then create the role and database as .ci/run does: CREATE ROLE lockstep LOGIN CREATEDB PASSWORD 'lockstep';"
            + " createdb -O lockstep lockstep";

    private final Map<String, String> env;
    private final Properties properties;

    RealServices(Map<String, String> env, Properties properties) {
        this.env = env;
        this.properties = properties;
    }

    /** The switch as this JVM sees it (read on every call: a property may be set after class loading). */
    static RealServices current() {
        return new RealServices(System.getenv(), System.getProperties());
    }

    /** True when a missing real service must fail the test instead of skipping it. */
    public static boolean mandatory() {
        return current().reason().isPresent();
    }

    /**
     * A missing service: throws an {@link AssertionError} when real services are mandatory, otherwise
     * aborts the test as skipped. Never returns normally; declared to return so callers can write
     * {@code throw RealServices.missing(...)} and the compiler knows the path ends.
     *
     * @param what    the service and why it is unusable, e.g. "PostgreSQL is not reachable at …"
     * @param install the command that installs it ({@link #INSTALL_REGISTRY_TOOLS}, {@link #INSTALL_POSTGRES})
     */
    public static RuntimeException missing(String what, String install, Throwable cause) {
        Throwable t = current().outcome(what, install, cause);
        if (t instanceof Error e) {
            throw e;
        }
        throw (RuntimeException) t;
    }

    /** What {@link #missing} throws, without throwing it. */
    Throwable outcome(String what, String install, Throwable cause) {
        Optional<String> reason = reason();
        if (reason.isPresent()) {
            return new AssertionError(what + "; install: " + install + " (real services are mandatory because "
                    + reason.get() + ", so this is a failure, not a skip)", cause);
        }
        return new TestAbortedException("skipped: " + what + "; install: " + install + " (with CI=true or -D"
                + PROPERTY + "=true this is a failure)", cause);
    }

    /** Which input made real services mandatory, or empty when none did. */
    Optional<String> reason() {
        if (isTrue(env.get("CI"))) {
            return Optional.of("the environment variable CI=true");
        }
        for (String name : new String[]{"CI", PROPERTY, LEGACY_PROPERTY}) {
            if (isTrue(properties.getProperty(name))) {
                return Optional.of("the system property " + name + "=true");
            }
        }
        return Optional.empty();
    }

    private static boolean isTrue(String value) {
        return value != null && "true".equalsIgnoreCase(value.trim());
    }
}
