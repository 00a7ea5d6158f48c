package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

class ReleaseCompletenessTest {
    private static final List<Template> TEMPLATES = List.of(
            new Template("claude-code", "r/claude-code", List.of("workspace"), "runtime", true),
            new Template("platform-agent", "r/platform-agent", List.of("platform"), "runtime", true),
            new Template("hermes", "r/hermes", List.of(), "runtime", true),
            new Template("legacy", "r/legacy", List.of(), "runtime", false),
            new Template("solo", "r/solo", List.of(), null, true));
    private static final String D = "sha256:" + "0".repeat(64);

    @Test
    void aReleaseNamingEveryPinnableMemberIsComplete() {
        assertThatCode(() -> ReleaseCompleteness.check("runtime",
                Map.of("claude-code", D, "platform-agent", D, "hermes", D), Map.of(), TEMPLATES)).doesNotThrowAnyException();
    }

    @Test
    void leavingOutAMemberNamesIt() {
        assertThatThrownBy(() -> ReleaseCompleteness.check("runtime", Map.of("claude-code", D, "hermes", D), Map.of(),
                TEMPLATES)).isInstanceOfSatisfying(LockstepException.class, e -> {
                    assertThat(e.code()).isEqualTo("INCOMPLETE_RELEASE");
                    assertThat(e.kind()).isEqualTo(ErrorKind.UNPROCESSABLE);
                    assertThat(e.getMessage()).contains("platform-agent");
                    assertThat(e.details().get("missing")).isEqualTo(List.of("platform-agent"));
                });
    }

    @Test
    void anExclusionWithAReasonCompletesIt() {
        assertThatCode(() -> ReleaseCompleteness.check("runtime", Map.of("claude-code", D, "hermes", D),
                Map.of("platform-agent", "operator-gated this week"), TEMPLATES)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ReleaseCompleteness.check("runtime", Map.of("claude-code", D, "hermes", D),
                Map.of("platform-agent", " "), TEMPLATES)).hasMessageContaining("needs a reason");
    }

    @Test
    void aTemplateOutsideTheGroupIsRejected() {
        assertThatThrownBy(() -> ReleaseCompleteness.check("runtime",
                Map.of("claude-code", D, "platform-agent", D, "hermes", D, "solo", D), Map.of(), TEMPLATES))
                .isInstanceOfSatisfying(LockstepException.class, e -> assertThat(e.code()).isEqualTo("UNKNOWN_TEMPLATE"));
    }
}
