package io.lockstep.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Semver order and constraints (moved from the watch's TagSelectionTest). */
class SemVerTest {
    @ParameterizedTest
    @CsvSource({"1.0.0-alpha,1.0.0-alpha.1", "1.0.0-alpha.1,1.0.0-alpha.beta", "1.0.0-beta.2,1.0.0-beta.11",
            "1.0.0-rc.1,1.0.0", "v0.3.9,0.3.10", "0.9.0,0.10.0", "1.9.9,2.0.0"})
    void semverPrecedence(String lower, String higher) {
        assertThat(SemVer.parse(lower).orElseThrow()).isLessThan(SemVer.parse(higher).orElseThrow());
    }

    @Test
    void semverIgnoresBuildMetadataAndRejectsNonVersions() {
        assertThat(SemVer.parse("1.2.3+build.7").orElseThrow()).isEqualByComparingTo(SemVer.parse("1.2.3").orElseThrow());
        assertThat(SemVer.parse("1.2")).isEmpty();
        assertThat(SemVer.parse("01.2.3")).isEmpty();
        assertThat(SemVer.parse("latest")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            ">=0.3.0 <0.4.0;0.3.0;true", ">=0.3.0 <0.4.0;0.3.44;true", ">=0.3.0 <0.4.0;0.4.0;false",
            ">=0.3.0 <0.4.0;0.2.9;false", ">=0.3.0 <0.4.0;0.3.5-rc.1;false", ">= 0.3.0, < 0.4.0;0.3.1;true",
            "~1.2;1.2.9;true", "~1.2;1.3.0;false", "^1.2.3;1.9.0;true", "^1.2.3;2.0.0;false", "^0.3.1;0.3.9;true",
            "^0.3.1;0.4.0;false", "1.x;1.7.2;true", "1.x;2.0.0;false", "*;9.9.9;true", ">1.2;1.2.9;false",
            ">1.2;1.3.0;true", "<1.0.0 || >=2.0.0;1.5.0;false", "<1.0.0 || >=2.0.0;2.1.0;true",
            ">=1.0.0-rc.1 <1.0.0;1.0.0-rc.2;true", "=1.2.3;1.2.3;true"})
    void semverConstraints(String constraint, String version, boolean expected) {
        assertThat(SemVerRange.parse(constraint.replace(",", "")).test(SemVer.parse(version).orElseThrow())).isEqualTo(expected);
    }

    @Test
    void badConstraintNamesThePart() {
        assertThatThrownBy(() -> SemVerRange.parse(">=0.3.0 <banana")).hasMessageContaining("<banana");
    }
}
