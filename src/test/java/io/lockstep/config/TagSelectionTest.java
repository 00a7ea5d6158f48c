package io.lockstep.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lockstep.domain.Template;
import io.lockstep.domain.Watch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tag policies, allow/ignore/extract, and watch config errors (semver order and constraints: domain/SemVerTest). */
class TagSelectionTest {
    private static final List<Template> TEMPLATES = List.of(
            new Template("a", "r.example/x/a", List.of(), "runtime", true),
            new Template("b", "r.example/x/b", List.of(), "runtime", true),
            new Template("solo", "r.example/x/solo", List.of(), null, true));

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
            return WatchesSection.parse(new ConfigNode(doc, "").get("watches"), TEMPLATES).get(0);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
