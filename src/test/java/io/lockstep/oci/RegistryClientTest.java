package io.lockstep.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against the real distribution registry (anonymous, deletes enabled). */
class RegistryClientTest {

    private static final String SKOPEO = "/usr/bin/skopeo";
    private static RegistryFixture registry;
    private static RegistryClient client;

    @BeforeAll
    static void start() {
        registry = RegistryFixture.startDefault();
        client = new RegistryClient(registry.clientConfig().build());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void pushedImageDigestMatchesManifestBytes() throws Exception {
        TestImages.PushedImage image = TestImages.pushImage(client, "lockstep/app", "v1", Map.of());

        Optional<ManifestRef> head = client.headManifest("lockstep/app", "v1");
        assertThat(head).isPresent();
        assertThat(head.get().digest()).isEqualTo(Digests.sha256(image.manifest())).isEqualTo(image.digest());
        assertThat(head.get().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(head.get().size()).isEqualTo(image.manifest().length);

        Manifest got = client.getManifest("lockstep/app", "v1");
        assertThat(got.body()).isEqualTo(image.manifest());
        assertThat(got.digest()).isEqualTo(image.digest());
    }

    /** An independent client agrees on the digest; skipped without skopeo, a failure where real services are mandatory. */
    @Test
    void skopeoAgreesOnTheDigestAndCopiesEveryBlob(@TempDir Path tmp) throws Exception {
        String skopeo = ExternalTools.require(SKOPEO, "skopeo").toString();
        TestImages.PushedImage image = TestImages.pushImage(client, "lockstep/skopeo-app", "v1", Map.of());

        JsonNode inspect = skopeoInspect("lockstep/skopeo-app:v1");
        assertThat(inspect.path("Digest").asText()).isEqualTo(image.digest());
        // skopeo copy re-verifies every blob digest: proves the test image is a real, valid image.
        run(List.of(skopeo, "copy", "--quiet", "--src-tls-verify=false",
                "docker://" + registry.hostPort() + "/lockstep/skopeo-app:v1", "oci:" + tmp.resolve("oci") + ":v1"));
        assertThat(Files.readString(tmp.resolve("oci/index.json"))).contains(image.digest());
    }

    @Test
    void multiPlatformIndexKeepsItsIndexDigest() throws Exception {
        TestImages.PushedImage index = TestImages.pushIndex(client, "lockstep/multi", "v2", Map.of(ImageLabels.VERSION, "2.0.0"));

        ManifestRef head = client.headManifest("lockstep/multi", "v2").orElseThrow();
        assertThat(head.digest()).isEqualTo(index.digest()).isEqualTo(Digests.sha256(index.manifest()));
        assertThat(head.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(head.isIndex()).isTrue();

        Manifest got = client.getManifest("lockstep/multi", "v2");
        assertThat(got.isIndex()).isTrue();
        assertThat(got.platformManifests()).extracting(Manifest.Descriptor::architecture).containsExactly("amd64", "arm64");
        assertThat(got.platformManifests()).extracting(Manifest.Descriptor::digest).doesNotContain(index.digest());
    }

    @Test
    void skopeoSeesTheIndexDigest() throws Exception {
        String skopeo = ExternalTools.require(SKOPEO, "skopeo").toString();
        TestImages.PushedImage index = TestImages.pushIndex(client, "lockstep/skopeo-multi", "v2", Map.of(ImageLabels.VERSION, "2.0.0"));

        // --raw shows the manifest the tag points at; its sha256 must be the index digest.
        byte[] raw = run(List.of(skopeo, "inspect", "--raw", "--tls-verify=false",
                "docker://" + registry.hostPort() + "/lockstep/skopeo-multi:v2"));
        assertThat(Digests.sha256(raw)).isEqualTo(index.digest());
    }

    @Test
    void listsAllTagsOnceWithSmallPages() {
        TestImages.PushedImage image = TestImages.pushImage(client, "lockstep/tags", "t00", Map.of());
        List<String> expected = new ArrayList<>(List.of("t00"));
        for (int i = 1; i < 12; i++) {
            String tag = String.format("t%02d", i);
            client.putManifest("lockstep/tags", tag, image.manifest(), MediaTypes.OCI_MANIFEST);
            expected.add(tag);
        }
        // distribution 2.8 ignores n/last and returns everything; a paginating registry is covered by
        // RegistryStandInTest. Either way every tag must come back exactly once.
        List<String> tags = client.listTags("lockstep/tags", 5);
        assertThat(tags).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
        // A page size equal to the tag count makes the client ask again with last=; must still end.
        assertThat(client.listTags("lockstep/tags", 12)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void listTagsOfUnknownRepositoryIsNotFound() {
        assertThatThrownBy(() -> client.listTags("lockstep/never-pushed"))
                .isInstanceOf(RegistryNotFoundException.class)
                .hasMessageContaining("lockstep/never-pushed").hasMessageContaining(registry.hostPort());
    }

    @Test
    void readsLabelsFromImageConfigAndFromIndex() {
        TestImages.pushImage(client, "lockstep/labels", "sha-19f3175",
                Map.of(ImageLabels.REVISION, "19f3175aa", ImageLabels.VERSION, "1.4.2", "team", "platform"));
        ImageLabels labels = client.labels("lockstep/labels", "sha-19f3175");
        assertThat(labels.revision()).contains("19f3175aa");
        assertThat(labels.version()).contains("1.4.2");
        assertThat(labels.get("team")).contains("platform");

        TestImages.pushIndex(client, "lockstep/labels", "multi", Map.of(ImageLabels.REVISION, "abc123", ImageLabels.VERSION, "2.0.0"));
        assertThat(client.labels("lockstep/labels", "multi").revision()).contains("abc123");

        TestImages.pushImage(client, "lockstep/labels", "nolabels", Map.of());
        assertThat(client.labels("lockstep/labels", "nolabels").revision()).isEmpty();
    }

    @Test
    void missingManifestIsEmptyAndDeletedManifestStopsExisting() {
        String neverPushed = Digests.sha256("never pushed".getBytes(StandardCharsets.UTF_8));
        assertThat(client.headManifest("lockstep/gone", "nope")).isEmpty();
        assertThat(client.exists("lockstep/gone", neverPushed)).isFalse();
        assertThatThrownBy(() -> client.getManifest("lockstep/gone", "nope"))
                .isInstanceOf(RegistryNotFoundException.class).hasMessageContaining("lockstep/gone:nope");

        TestImages.PushedImage image = TestImages.pushImage(client, "lockstep/gone", "doomed", Map.of());
        assertThat(client.exists("lockstep/gone", image.digest())).isTrue();

        client.deleteManifest("lockstep/gone", image.digest());

        assertThat(client.exists("lockstep/gone", image.digest())).isFalse();
        assertThat(client.headManifest("lockstep/gone", "doomed")).isEmpty();
        assertThatThrownBy(() -> client.deleteManifest("lockstep/gone", image.digest())).isInstanceOf(RegistryNotFoundException.class);
    }

    @Test
    void putManifestMovesATagToAnotherDigest() {
        TestImages.PushedImage a = TestImages.pushImage(client, "lockstep/mirror", "a", Map.of());
        TestImages.PushedImage b = TestImages.pushImage(client, "lockstep/mirror", "b", Map.of());
        client.putManifest("lockstep/mirror", "prod", a.manifest(), a.mediaType());
        assertThat(client.headManifest("lockstep/mirror", "prod").orElseThrow().digest()).isEqualTo(a.digest());

        String moved = client.putManifest("lockstep/mirror", "prod", b.manifest(), b.mediaType());
        assertThat(moved).isEqualTo(b.digest());
        assertThat(client.headManifest("lockstep/mirror", "prod").orElseThrow().digest()).isEqualTo(b.digest());
    }

    @Test
    void putManifestReferencingMissingBlobIsRejected() {
        byte[] bogus = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digests.sha256(new byte[]{1}) + "\",\"size\":1},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> client.putManifest("lockstep/bogus", "x", bogus, MediaTypes.OCI_MANIFEST))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("lockstep/bogus:x").hasMessageContaining("HTTP 400");
    }

    @Test
    void getByDigestVerifiesAndPushBlobIsIdempotent() {
        TestImages.PushedImage image = TestImages.pushImage(client, "lockstep/bydigest", "v1", Map.of());
        assertThat(client.getManifest("lockstep/bydigest", image.digest()).body()).isEqualTo(image.manifest());
        byte[] blob = "some blob".getBytes(StandardCharsets.UTF_8);
        String d1 = client.pushBlob("lockstep/bydigest", blob);
        String d2 = client.pushBlob("lockstep/bydigest", blob);
        assertThat(d1).isEqualTo(d2).isEqualTo(Digests.sha256(blob));
        assertThat(client.getBlob("lockstep/bydigest", d1)).isEqualTo(blob);
    }

    @Test
    void rejectsInvalidNamesBeforeSendingAnything() {
        assertThatThrownBy(() -> client.headManifest("../etc", "v1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.headManifest("Upper/Case", "v1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.headManifest("ok/repo", "bad tag")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.exists("ok/repo", "sha256:short")).isInstanceOf(IllegalArgumentException.class);
    }

    private JsonNode skopeoInspect(String ref) throws IOException {
        return new ObjectMapper().readTree(run(List.of(SKOPEO, "inspect", "--tls-verify=false", "docker://" + registry.hostPort() + "/" + ref)));
    }

    static byte[] run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed: " + new String(err, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return out;
    }
}
