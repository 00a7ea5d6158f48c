package io.lockstep.registry.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lockstep.config.ConfigException;
import io.lockstep.config.ConfigNode;
import io.lockstep.domain.Template;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Semver order and constraints, tag policies, allow/ignore/extract, and watch config errors. */
class TagSelectionTest {
    private static final List<Template> TEMPLATES = List.of(
            new Template("a", "r.example/x/a", List.of(), "runtime", true),
            new Template("b", "r.example/x/b", List.of(), "runtime", true),
            new Template("solo", "r.example/x/solo", List.of(), null, true));

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

    @Test
    void extractAllowAndIgnoreTurnTagsIntoVersions() {
        Watch w = watch("""
                group: runtime
                policy: semver
                allow_tags: '^v'
                ignore_tags: '-debug$'
                extract: '^v(\\d+\\.\\d+\\.\\d+)'
                """);
        assertThat(w.versionOf("v0.3.44")).contains("0.3.44");
        assertThat(w.versionOf("v0.3.44-debug")).isEmpty();
        assertThat(w.versionOf("0.3.44")).isEmpty();
        assertThat(w.versionOf("vlatest")).isEmpty();
        assertThat(w.members(TEMPLATES)).extracting(Template::name).containsExactly("a", "b");
    }

    @Test
    void numericalAndLexicalOrder() {
        Watch numerical = watch("{group: runtime, policy: numerical, extract: '^build-(\\d+)$'}");
        assertThat(numerical.versionOf("build-987")).contains("987");
        assertThat(numerical.versionOf("build-x")).isEmpty();
        assertThat(numerical.policy().order().compare("987", "1000")).isNegative();
        Watch lexical = watch("{group: runtime, policy: lexical}");
        assertThat(lexical.policy().order().compare("20260105-1412", "20260105-0900")).isPositive();
        Watch digest = watch("{template: solo, policy: digest, tag: main}");
        assertThat(digest.tag()).contains("main");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{policy: semver}|watches[0]|exactly one of group or template",
            "{group: nope}|watches[0].group|no pinnable template",
            "{template: a}|watches[0].template|watch the group instead",
            "{group: runtime, policy: newest}|watches[0].policy|semver, lexical, numerical or digest",
            "{group: runtime, constraint: '>=banana'}|watches[0].constraint|cannot read",
            "{group: runtime, policy: lexical, constraint: '>=1.0.0'}|watches[0].constraint|only applies to policy semver",
            "{group: runtime, policy: digest}|watches[0].tag|follows one tag",
            "{group: runtime, extract: '^v.+$'}|watches[0].extract|exactly one capture group",
            "{group: runtime, allow_tags: '(['}|watches[0].allow_tags|not a valid regular expression",
            "{group: runtime, interval: 5x}|watches[0].interval|duration",
            "{group: runtime, colour: red}|watches[0].colour|unknown key"})
    void watchConfigErrorsNameTheKey(String yaml, String path, String message) {
        assertThatThrownBy(() -> watch(yaml)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(path + ":").hasMessageContaining(message);
    }

    private static Watch watch(String yaml) {
        try {
            var doc = new ObjectMapper(new YAMLFactory()).readTree("watches:\n  - " + yaml.strip().replace("\n", "\n    "));
            return Watch.parseAll(new ConfigNode(doc, "").get("watches"), TEMPLATES).get(0);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
