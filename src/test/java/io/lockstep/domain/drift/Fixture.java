package io.lockstep.domain.drift;

import io.lockstep.domain.Environment;
import io.lockstep.domain.HistoryChain;
import io.lockstep.domain.Pin;
import io.lockstep.domain.PinKey;
import io.lockstep.domain.Release;
import io.lockstep.domain.Template;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The seed's world in miniature: group runtime (claude-code, platform-agent), a loner, staging → prod. */
final class Fixture {
    static final Instant T40 = Instant.parse("2026-06-20T08:00:00Z");
    static final Instant T43 = Instant.parse("2026-06-21T10:19:30Z");

    static final Template CLAUDE_CODE = new Template("claude-code", "reg.example/claude-code", List.of("workspace"), "runtime", true);
    static final Template PLATFORM_AGENT = new Template("platform-agent", "reg.example/platform-agent", List.of("platform"), "runtime", true);
    static final Template HERMES = new Template("hermes", "reg.example/hermes", List.of("workspace"), null, true);
    static final Template BUILDER = new Template("builder", "reg.example/builder", List.of(), "runtime", false);

    static final Environment STAGING = Environment.named("staging");
    static final Environment PROD = new Environment("prod", "staging", false, true, "prod", false);

    static final Release R40 = new Release("r40", "runtime", "v0.3.40", "aaaaaaa",
            Map.of("claude-code", digest("cc-40"), "platform-agent", digest("pa-40")), null, T40, "ci");
    static final Release R43 = new Release("r43", "runtime", "v0.3.43", "bbbbbbb",
            Map.of("claude-code", digest("cc-43"), "platform-agent", digest("pa-43")), null, T43, "ci");

    private Fixture() {
    }

    static String digest(String seed) {
        return "sha256:" + HistoryChain.sha256(seed);
    }

    static Pin pin(String env, String template, String region, String digest, Instant promotedAt) {
        return new Pin(new PinKey(env, template, region), digest, "reg.example/" + template + "@" + digest, null, null,
                promotedAt, "ci", null, Map.of(), 1);
    }

    static Pin pin(String env, String template, String digest) {
        return pin(env, template, null, digest, T40);
    }

    static Release hermesRelease(String id, String version, Instant at) {
        return new Release(id, "hermes", version, null, Map.of("hermes", digest("hermes-" + version)), null, at, "ci");
    }

    /** The seed incident: v0.3.40 everywhere, v0.3.43 registered, only claude-code promoted. */
    static List<Pin> seedPins() {
        List<Pin> pins = new ArrayList<>();
        for (String env : List.of("staging", "prod")) {
            pins.add(pin(env, "claude-code", null, digest("cc-43"), T43.plusSeconds(60)));
            pins.add(pin(env, "platform-agent", digest("pa-40")));
        }
        return pins;
    }

    static DriftInput seed(Instant now) {
        return DriftInput.of(List.of(CLAUDE_CODE, PLATFORM_AGENT, BUILDER), List.of(STAGING, PROD), seedPins(),
                List.of(R40, R43), now);
    }

    static DriftReport run(DriftInput input) {
        return new DriftEngine().compute(input);
    }

    static DriftFinding find(DriftReport report, String env, String template, String region) {
        return report.findings().stream()
                .filter(f -> f.environment().equals(env) && f.template().equals(template) && f.region().equals(region))
                .findFirst().orElseThrow(() -> new AssertionError("no finding for " + env + "/" + template + "/" + region
                        + " in " + report.findings()));
    }

    static DriftFinding find(DriftReport report, String env, String template) {
        return find(report, env, template, "global");
    }
}
