package io.lockstep.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.TestAbortedException;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The one switch that turns a missing real service from a skip into a failure, fed each input form. */
class RealServicesTest {
    private static final String INSTALL = RealServices.INSTALL_REGISTRY_TOOLS;

    private static RealServices with(Map<String, String> env, String... properties) {
        Properties p = new Properties();
        for (int i = 0; i < properties.length; i += 2) {
            p.setProperty(properties[i], properties[i + 1]);
        }
        return new RealServices(env, p);
    }

    @Test
    void theCiEnvironmentVariableMakesThemMandatory() {
        assertThat(with(Map.of("CI", "true")).reason()).contains("the environment variable CI=true");
        assertThat(with(Map.of("CI", "TRUE")).reason()).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CI", RealServices.PROPERTY, RealServices.LEGACY_PROPERTY})
    void eachSystemPropertyMakesThemMandatory(String property) {
        assertThat(with(Map.of(), property, "true").reason()).contains("the system property " + property + "=true");
    }

    @Test
    void nothingSetOrFalseLeavesThemOptional() {
        assertThat(with(Map.of()).reason()).isEmpty();
        assertThat(with(Map.of("CI", "false"), "CI", "false", RealServices.PROPERTY, "false",
                RealServices.LEGACY_PROPERTY, "").reason()).isEmpty();
        // Only the names above count: an unrelated variable does not flip the switch.
        assertThat(with(Map.of("GITHUB_ACTIONS", "true"), "ci", "true").reason()).isEmpty();
    }

    @Test
    void whenOptionalAMissingServiceIsASkipNamingTheInstallCommand() {
        Throwable t = with(Map.of()).outcome("/usr/bin/skopeo is not installed", INSTALL, null);

        assertThat(t).isInstanceOf(TestAbortedException.class);
        assertThat(t.getMessage()).startsWith("skipped: /usr/bin/skopeo is not installed")
                .contains("apt-get install -y docker-registry skopeo apache2-utils openssl")
                .contains("-D" + RealServices.PROPERTY + "=true")
                .doesNotContain("APT_PACKAGES");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CI", RealServices.PROPERTY, RealServices.LEGACY_PROPERTY})
    void whenMandatoryAMissingServiceIsAFailureSayingWhy(String property) {
        IllegalStateException cause = new IllegalStateException("connection refused");
        Throwable t = with(Map.of(), property, "true").outcome("PostgreSQL is not reachable", RealServices.INSTALL_POSTGRES, cause);

        assertThat(t).isInstanceOf(AssertionError.class).hasCause(cause);
        assertThat(t.getMessage()).startsWith("PostgreSQL is not reachable")
                .contains("apt-get install -y postgresql").contains(".ci/run")
                .contains("because the system property " + property + "=true");
    }

    @Test
    void theInstallCommandsAreTheOnesCiRuns() throws Exception {
        String ciRun = java.nio.file.Files.readString(java.nio.file.Path.of(".ci/run"));
        assertThat(ciRun).contains(INSTALL.replace("apt-get install -y", "apt-get install -y -qq"));
        assertThat(ciRun).contains("CREATE ROLE lockstep LOGIN CREATEDB PASSWORD 'lockstep'")
                .contains("createdb -O lockstep lockstep");
        assertThat(RealServices.INSTALL_POSTGRES).contains("CREATE ROLE lockstep LOGIN CREATEDB PASSWORD 'lockstep'")
                .contains("createdb -O lockstep lockstep");
    }

    /** The live switch reads this JVM's inputs: the surefire/failsafe fork sees -D properties given to mvn. */
    @Test
    void theLiveSwitchAgreesWithTheOldEntryPoints() {
        assertThat(TestDatabases.inCi()).isEqualTo(RealServices.mandatory());
        assertThat(io.lockstep.oci.ExternalTools.onCi()).isEqualTo(RealServices.mandatory());
        assertThat(RealServices.mandatory()).isEqualTo(new RealServices(System.getenv(), System.getProperties()).reason().isPresent());
    }
}
