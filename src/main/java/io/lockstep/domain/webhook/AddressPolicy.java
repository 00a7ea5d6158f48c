package io.lockstep.domain.webhook;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where webhooks may go: a subscription must never turn Lockstep into a proxy to the cloud's metadata
 * service (credentials) or to link-local, unspecified or multicast addresses. Loopback is refused too
 * unless {@code allowLoopback} (tests, a receiver on the same host); {@code allowHosts} names hosts or IP
 * literals let through anyway. Private networks (10/8, 172.16/12, 192.168/16) are allowed: the receivers
 * of an internal control plane live there. The rule is checked on the URL at creation and on every
 * resolved address before each delivery (a name may later resolve elsewhere).
 */
public record AddressPolicy(boolean allowLoopback, Set<String> allowHosts) {
    /** Metadata services outside 169.254/16 (Alibaba, AWS's IPv6 one) and the names clouds give them. */
    private static final Set<String> METADATA_ADDRESSES = Set.of("100.100.100.200", "fd00:ec2:0:0:0:0:0:254");
    private static final Set<String> METADATA_NAMES = Set.of("metadata", "metadata.google.internal",
            "metadata.goog", "instance-data", "instance-data.ec2.internal");

    public static final AddressPolicy STRICT = new AddressPolicy(false, Set.of());

    public AddressPolicy {
        allowHosts = allowHosts == null ? Set.of() : Set.copyOf(allowHosts.stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).toList());
    }

    public boolean allowsHost(String host) {
        return host != null && allowHosts.contains(host.toLowerCase(Locale.ROOT));
    }

    /** Why {@code host} may not be called by name, if it may not (metadata names); empty when fine. */
    public Optional<String> refuseName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (allowsHost(h)) {
            return Optional.empty();
        }
        if (METADATA_NAMES.contains(h) || h.endsWith(".metadata.google.internal")) {
            return Optional.of(host + " is a cloud metadata service name");
        }
        if ((h.equals("localhost") || h.endsWith(".localhost")) && !allowLoopback) {
            return Optional.of(host + " is loopback; set events.webhooks.allow_loopback: true to allow it");
        }
        return Optional.empty();
    }

    /** Why {@code address} (resolved from {@code host}) may not be called, if it may not; empty when fine. */
    public Optional<String> refuse(String host, InetAddress address) {
        if (allowsHost(host) || allowsHost(address.getHostAddress())) {
            return Optional.empty();
        }
        String shown = address.getHostAddress();
        if (METADATA_ADDRESSES.contains(shown)) {
            return Optional.of(shown + " is a cloud metadata address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of(shown + " is link-local (169.254.0.0/16, fe80::/10: where cloud metadata services live)");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of(shown + " is the unspecified address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of(shown + " is a multicast address");
        }
        if (address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc
                && shown.startsWith("fd00:ec2")) {
            return Optional.of(shown + " is a cloud metadata address");
        }
        if (address.isLoopbackAddress() && !allowLoopback) {
            return Optional.of(shown + " is loopback; set events.webhooks.allow_loopback: true to allow it");
        }
        return Optional.empty();
    }

    /** A URL's host as written, without IPv6 brackets. */
    public static String hostOf(URI uri) {
        String h = uri.getHost();
        return h != null && h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
