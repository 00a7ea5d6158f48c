package io.lockstep.config;

import io.lockstep.auth.ApiToken;
import io.lockstep.auth.OidcIssuer;
import io.lockstep.domain.Environment;
import io.lockstep.domain.FleetSettings;
import io.lockstep.domain.RemoteUpstream;
import io.lockstep.domain.Template;
import io.lockstep.oci.RegistriesConfig;
import io.lockstep.domain.Watch;
import io.lockstep.store.DatabaseSettings;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration. {@code root} keeps the parsed document so feature sections
 * can be read by their own adapters with the same path-aware errors. {@code registries} (with
 * {@code audit} and {@code hooks}) and {@code watches} are parsed here because credentials come from
 * the same environment as the rest. {@code oidcIssuers}: the CI systems whose ID tokens are accepted.
 * {@code remoteUpstreams}: downstream environment → its upstream on another server; their tokens are
 * in {@code upstreamTokens}, which never prints them. {@code webhooks}: the {@code events} section (issue 13).
 */
public record LockstepConfig(String host, int port, String defaultEnvironment, DatabaseSettings database,
                             List<Environment> environments, List<Template> templates, List<ApiToken> tokens,
                             Duration driftGracePeriod, FleetSettings fleet, ConfigNode root,
                             RegistriesConfig registries, List<Watch> watches,
                             List<OidcIssuer> oidcIssuers, Map<String, RemoteUpstream> remoteUpstreams,
                             UpstreamTokens upstreamTokens,
                             io.lockstep.domain.webhook.WebhookSettings webhooks) {
}
