package io.lockstep.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestAndNamesTest {
    private static final String GOOD = "sha256:" + "a1".repeat(32);

    @Test
    void acceptsExactlyTheCanonicalDigestForm() {
        assertThat(Digest.isValid(GOOD)).isTrue();
        assertThat(Digest.require("image_digest", GOOD)).isEqualTo(GOOD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256:", "sha256:ABCDEF", "sha512:aa", " sha256:x", "latest",
            "sha256:a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a",
            "sha256:a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a"})
    void rejectsEverythingElseWithACode(String bad) {
        assertThat(Digest.isValid(bad)).isFalse();
        assertThatThrownBy(() -> Digest.require("image_digest", bad))
                .isInstanceOfSatisfying(LockstepException.class, e -> {
                    assertThat(e.code()).isEqualTo("INVALID_DIGEST");
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
                    assertThat(e.getMessage()).contains("image_digest");
                });
    }

    @Test
    void rejectsUpperCaseHexAndTrailingNewline() {
        assertThat(Digest.isValid(GOOD.toUpperCase().replace("SHA256", "sha256"))).isFalse();
        assertThat(Digest.isValid(GOOD + "\n")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform-agent", "claude-code", "prod", "eu-west-1", "a", "v1.2_x"})
    void acceptsNames(String name) {
        assertThat(Names.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Prod", "-lead", "a b", "x'; DROP TABLE pins;--", "../etc", "plаtform", "ünicode"})
    void rejectsNames(String name) {
        assertThat(Names.isValid(name)).isFalse();
    }

    @Test
    void quotesRejectedValuesSafely() {
        String quoted = Names.quoteForError("a\u001b[31m" + "x".repeat(200));
        assertThat(quoted).doesNotContain("\u001b").contains("\\u001b").hasSizeLessThan(100).endsWith("…\"");
    }

    @Test
    void notesAreBoundedAndFreeOfControlCharacters() {
        assertThat(Names.optionalNotes("x".repeat(500))).hasSize(500);
        assertThatThrownBy(() -> Names.optionalNotes("x".repeat(501))).hasMessageContaining("at most 500");
        assertThatThrownBy(() -> Names.optionalNotes("bell\u0007")).hasMessageContaining("control");
    }

    @Test
    void regionDefaultsToGlobal() {
        assertThat(Names.regionOrDefault(null)).isEqualTo("global");
        assertThat(Names.regionOrDefault("")).isEqualTo("global");
        assertThat(Names.regionOrDefault("eu")).isEqualTo("eu");
    }
}
