package io.lockstep.oci;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Token scopes are requested in one spelling whatever order the registry's challenge lists actions in. */
class BearerTokensTest {
    @Test
    void actionsAreSortedAndTheResourceIsKept() {
        assertThat(BearerTokens.canonical("repository:lockstep/tokened:push,pull")).isEqualTo("repository:lockstep/tokened:pull,push");
        assertThat(BearerTokens.canonical("repository:lockstep/tokened:pull,push")).isEqualTo("repository:lockstep/tokened:pull,push");
        assertThat(BearerTokens.canonical("repository:team/app:pull")).isEqualTo("repository:team/app:pull");
        assertThat(BearerTokens.canonical("registry:catalog:*")).isEqualTo("registry:catalog:*");
        assertThat(BearerTokens.canonical("odd")).isEqualTo("odd");
    }
}
