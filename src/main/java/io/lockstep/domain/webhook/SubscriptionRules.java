package io.lockstep.domain.webhook;

import io.lockstep.domain.Event;
import io.lockstep.domain.LockstepException;
import io.lockstep.domain.Names;
import io.lockstep.domain.Problem;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;

/**
 * What makes a subscription acceptable, the same for the configuration file and the admin API: each
 * failure is one {@link Problem#INVALID_SUBSCRIPTION} sentence naming the field (or
 * {@link Problem#WEBHOOK_ADDRESS_FORBIDDEN} for a host the {@link AddressPolicy} refuses by name or literal).
 * Resolving a name to addresses is I/O and happens in the service.
 */
public final class SubscriptionRules {
    public static final int MAX_URL_LENGTH = 2048;
    public static final int MIN_SECRET_LENGTH = 16;
    public static final int MAX_SECRET_LENGTH = 512;

    private SubscriptionRules() {
    }

    /** {@code s} with its URL parsed; {@code environments} are the hosted ones. */
    public static URI check(Subscription s, Collection<String> environments, AddressPolicy policy) {
        if (!Names.isValid(s.name())) {
            throw invalid("name must be 1-63 characters of a-z, 0-9, '.', '_' or '-'");
        }
        URI uri = url(s.url());
        if (s.types().isEmpty()) {
            throw invalid("types must list at least one event type (" + String.join(", ", Event.TYPES) + ")");
        }
        for (String t : s.types()) {
            if (!Event.isKnownType(t)) {
                throw invalid("types: unknown event type " + Names.quoteForError(t) + "; known: "
                        + String.join(", ", Event.TYPES));
            }
        }
        for (String e : s.environments()) {
            if (!environments.contains(e)) {
                throw invalid("environments: " + Names.quoteForError(e) + " is not a hosted environment ("
                        + String.join(", ", environments) + ")");
            }
        }
        for (String g : s.groups()) {
            if (!Names.isValid(g)) {
                throw invalid("groups: " + Names.quoteForError(g) + " is not a valid group name");
            }
        }
        if (s.format() == null) {
            throw invalid("format must be one of lockstep, cloudevents, slack");
        }
        if (s.secret() == null || s.secret().length() < MIN_SECRET_LENGTH || s.secret().length() > MAX_SECRET_LENGTH) {
            throw invalid("secret must be " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH
                    + " characters (every delivery is signed with it)");
        }
        String host = AddressPolicy.hostOf(uri);
        policy.refuseName(host).ifPresent(why -> {
            throw new LockstepException(Problem.WEBHOOK_ADDRESS_FORBIDDEN, "url: " + why + ".");
        });
        literal(host).flatMap(a -> policy.refuse(host, a)).ifPresent(why -> {
            throw new LockstepException(Problem.WEBHOOK_ADDRESS_FORBIDDEN, "url: " + why + ".");
        });
        return uri;
    }

    /** The format named by {@code wire}, or a 400 listing the formats. */
    public static WebhookFormat format(String wire) {
        return WebhookFormat.fromWire(wire == null ? "lockstep" : wire).orElseThrow(() -> invalid("format: "
                + Names.quoteForError(wire) + " is not one of lockstep, cloudevents, slack"));
    }

    static URI url(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("url is required (an http or https URL)");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw invalid("url is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("url must be http or https, not " + (scheme.isEmpty() ? "a relative URL"
                    : Names.quoteForError(scheme)));
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("url has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("url must not hold user:password@ (put the credential in secret)");
        }
        return uri;
    }

    /** The address a host written as an IP literal stands for; empty for a name (no lookup here). */
    static java.util.Optional<java.net.InetAddress> literal(String host) {
        boolean v4 = host.matches("^\\d{1,3}(\\.\\d{1,3}){3}$");
        boolean v6 = host.contains(":");
        if (!v4 && !v6) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(java.net.InetAddress.getByName(host)); // a literal: parsed, never looked up
        } catch (java.net.UnknownHostException e) {
            throw invalid("url has an invalid IP address");
        }
    }

    private static LockstepException invalid(String sentence) {
        return new LockstepException(Problem.INVALID_SUBSCRIPTION, sentence + ".");
    }
}
