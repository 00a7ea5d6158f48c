package io.lockstep.config;

import io.lockstep.auth.ApiToken;
import io.lockstep.domain.Environment;
import io.lockstep.domain.Template;
import io.lockstep.store.DatabaseSettings;

import java.time.Duration;
import java.util.List;

/**
 * The whole validated configuration. {@code root} keeps the parsed document so feature sections
 * (registries, watches) can be read by their own adapters with the same path-aware errors.
 */
public record LockstepConfig(String host, int port, String defaultEnvironment, DatabaseSettings database,
                             List<Environment> environments, List<Template> templates, List<ApiToken> tokens,
                             Duration driftGracePeriod, Duration instanceTtl, ConfigNode root) {
}
