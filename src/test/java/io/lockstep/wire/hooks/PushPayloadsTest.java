package io.lockstep.wire.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockstep.domain.LockstepException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each provider's documented payload (see {@link ProviderPayloads}) becomes the same repository + tag + digest. */
class PushPayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String D = "sha256:954b378c375d852eb3c63ab88978f640b4348b01c1b3456a024a81536dafbbf4";

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertMalformed(Runnable parse) {
        assertThatThrownBy(parse::run).isInstanceOf(LockstepException.class)
                .extracting(e -> ((LockstepException) e).code()).isEqualTo("INVALID_NOTIFICATION");
    }

    @Test
    void harborPushArtifactIsAPushOfItsTagAndDigest() {
        assertThat(PushPayloads.harbor(json(ProviderPayloads.harbor("molecule", "hermes", "v0.3.44", D))))
                .containsExactly(new RegistryPush("molecule/hermes", "v0.3.44", D));
        // Pushed by digest (Harbor then repeats the digest as the "tag", as in its docs' example): no tag.
        assertThat(PushPayloads.harbor(json(ProviderPayloads.harbor("harbor", "alpine", D, D))))
                .containsExactly(new RegistryPush("harbor/alpine", null, D));
        assertThat(PushPayloads.harbor(json(ProviderPayloads.harborPull("molecule", "hermes", D)))).isEmpty();
        assertMalformed(() -> PushPayloads.harbor(json("{\"type\":\"PUSH_ARTIFACT\",\"event_data\":{}}")));
        assertMalformed(() -> PushPayloads.harbor(json("{\"specversion\":\"1.0\",\"type\":\"harbor.artifact.pushed\"}")));
        assertMalformed(() -> PushPayloads.harbor(json("[1]")));
    }

    @Test
    void dockerHubIsAlwaysAPushWithoutDigest() {
        assertThat(PushPayloads.dockerHub(json(ProviderPayloads.dockerHub("svendowideit", "testhook", "latest"))))
                .containsExactly(new RegistryPush("svendowideit/testhook", "latest", null));
        assertMalformed(() -> PushPayloads.dockerHub(json("{\"push_data\":{\"tag\":\"x\"}}")));
        assertMalformed(() -> PushPayloads.dockerHub(json("{\"repository\":{\"repo_name\":\"a/b\"}}")));
    }

    @Test
    void githubRegistryPackageOfAContainerIsAPushOnGhcr() {
        assertThat(PushPayloads.github("registry_package", json(ProviderPayloads.github("published", "Octo-Org", "hello-world", "1.0", D))))
                .as("ghcr.io names are lower case").containsExactly(new RegistryPush("octo-org/hello-world", "1.0", D));
        assertThat(PushPayloads.github("registry_package", json(ProviderPayloads.github("updated", "octo-org", "hello-world", "1.1", D))))
                .containsExactly(new RegistryPush("octo-org/hello-world", "1.1", D));
        assertThat(PushPayloads.github("registry_package", json(ProviderPayloads.github("published", "octo-org", "hello-world", "", D))))
                .as("an untagged version").containsExactly(new RegistryPush("octo-org/hello-world", null, D));
        assertThat(PushPayloads.github("ping", json(ProviderPayloads.githubPing()))).isEmpty();
        assertThat(PushPayloads.github("registry_package",
                json(ProviderPayloads.github("published", "octo-org", "x", "1.0", D).replace("\"CONTAINER\"", "\"npm\"")))).isEmpty();
        assertMalformed(() -> PushPayloads.github("registry_package", json("{\"action\":\"published\"}")));
        assertMalformed(() -> PushPayloads.github("registry_package", json("\"text\"")));
    }

    @Test
    void quayRepositoryPushNamesItsUpdatedTags() {
        assertThat(PushPayloads.quay(json(ProviderPayloads.quay("dgangaia", "test", "latest"))))
                .containsExactly(new RegistryPush("dgangaia/test", "latest", null));
        // Older Quay: updated_tags as tag → image id (not a manifest digest, so not taken as one).
        assertThat(PushPayloads.quay(json("{\"repository\":\"devtable/ubuntu\",\"updated_tags\":{\"latest\":\"b750fe79269d\"}}")))
                .containsExactly(new RegistryPush("devtable/ubuntu", "latest", null));
        assertThat(PushPayloads.quay(json(ProviderPayloads.quayBuildQueued("dgangaia", "test")))).isEmpty();
        assertMalformed(() -> PushPayloads.quay(json("{\"updated_tags\":[\"latest\"]}")));
        assertMalformed(() -> PushPayloads.quay(json("{\"repository\":\"a/b\",\"updated_tags\":\"latest\"}")));
    }

    @Test
    void gitlabRegistryNotificationsAreTheCncfEnvelope() {
        assertThat(PushPayloads.cncf(json(ProviderPayloads.gitlab("push", "group/project/app", "v1", D))))
                .containsExactly(new RegistryPush("group/project/app", "v1", D));
        assertThat(PushPayloads.cncf(json(ProviderPayloads.gitlab("pull", "group/project/app", "v1", D)))).isEmpty();
        assertMalformed(() -> PushPayloads.cncf(json("{\"event\":[]}")));
        assertThat(PushPayloads.cncf(json("{\"events\":[]}"))).isEqualTo(List.of());
    }
}
