package io.lockstep.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The one "which release is newer" rule (drift and discovery) and a watch's tag ordering. */
class ReleaseOrderTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private static Release release(String version, Instant at, Map<String, String> images) {
        return new Release("runtime@" + version, "runtime", version, null, images, Map.of(), at, "ci");
    }

    @Test
    void registrationOrderDecidesNotTheVersionAndEqualInstantsFallBackToTheId() {
        // 0.3.9 registered after 0.3.10 (a hotfix of an older line) is the newer release.
        Release v10 = release("0.3.10", T0, Map.of("a", "sha256:10"));
        Release v9 = release("0.3.9", T0.plusSeconds(1), Map.of("a", "sha256:09"));
        assertThat(ReleaseOrder.isNewer(v9, v10)).isTrue();
        assertThat(ReleaseOrder.isNewer(v10, v9)).isFalse();
        assertThat(ReleaseOrder.isNewer(v10, v10)).isFalse();
        Release b = release("b", T0, Map.of());
        Release a = release("a", T0, Map.of());
        assertThat(ReleaseOrder.isNewer(b, a)).as("same instant: runtime@b sorts after runtime@a").isTrue();
        assertThat(List.of(v9, b, v10, a).stream().sorted(ReleaseOrder.OLDEST_FIRST).toList())
                .containsExactly(v10, a, b, v9);
    }

    @Test
    void newestForIsTheNewestWithAnImageForTheTemplateRegisteredByThen() {
        Release first = release("0.3.1", T0, Map.of("a", "sha256:1", "b", "sha256:1b"));
        Release withoutA = release("0.3.2", T0.plusSeconds(60), Map.of("b", "sha256:2b"));
        Release later = release("0.3.3", T0.plusSeconds(120), Map.of("a", "sha256:3"));
        List<Release> all = List.of(later, first, withoutA);
        assertThat(ReleaseOrder.newestFor(all, "a", T0.plusSeconds(90))).contains(first);
        assertThat(ReleaseOrder.newestFor(all, "b", T0.plusSeconds(90))).contains(withoutA);
        assertThat(ReleaseOrder.newestFor(all, "a", T0.plusSeconds(120))).as("registered at that instant counts").contains(later);
        assertThat(ReleaseOrder.newestFor(all, "a", T0.minusSeconds(1))).isEmpty();
        assertThat(ReleaseOrder.newestFor(all, "c", T0.plus(Duration.ofDays(1)))).isEmpty();
    }

    private static Watch watch(TagPolicy policy, Optional<SemVerRange> constraint, Optional<Pattern> extract) {
        return new Watch("runtime", "runtime", null, Duration.ofMinutes(5), policy, constraint,
                policy == TagPolicy.DIGEST ? Optional.of("main") : Optional.empty(), Optional.empty(), Optional.empty(), extract);
    }

    @Test
    void aWatchPicksTheNewestAcceptedTagByItsPolicyNotByName() {
        Watch semver = watch(TagPolicy.SEMVER, Optional.of(SemVerRange.parse(">=0.3.0 <0.4.0")), Optional.of(Pattern.compile("^v(.+)$")));
        assertThat(semver.newestTag(List.of("v0.3.9", "v0.3.10", "v0.4.0", "latest", "v0.3.11-rc.1"))).contains("v0.3.10");
        assertThat(semver.newestTag(List.of("latest", "v0.4.0"))).isEmpty();
        Watch numerical = watch(TagPolicy.NUMERICAL, Optional.empty(), Optional.empty());
        assertThat(numerical.newestTag(List.of("987", "1000", "99"))).contains("1000");
        Watch lexical = watch(TagPolicy.LEXICAL, Optional.empty(), Optional.empty());
        assertThat(lexical.newestTag(List.of("20260105-0900", "20260105-1412"))).contains("20260105-1412");
    }

    @Test
    void aReleaseIsNewerThanATagOnlyIfTheWatchAcceptsAndOrdersItAfter() {
        Watch semver = watch(TagPolicy.SEMVER, Optional.of(SemVerRange.parse(">=0.3.0 <0.4.0")), Optional.empty());
        assertThat(semver.isNewerVersion("0.3.10", "0.3.9")).isTrue();
        assertThat(semver.isNewerVersion("0.3.9", "0.3.10")).isFalse();
        assertThat(semver.isNewerVersion("0.3.9", "0.3.9")).isFalse();
        assertThat(semver.isNewerVersion("0.4.0", "0.3.9")).as("outside the constraint: not in this watch's line").isFalse();
        assertThat(semver.isNewerVersion("hotfix", "0.3.9")).as("not a version of this watch").isFalse();
        Watch digest = watch(TagPolicy.DIGEST, Optional.empty(), Optional.empty());
        assertThat(digest.isNewerVersion("b", "a")).as("a digest watch orders nothing").isFalse();
    }
}
