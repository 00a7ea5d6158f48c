package io.lockstep.domain;

import java.util.Locale;
import java.util.Map;

/**
 * How far a change's provenance can be trusted. {@code VERIFIED}: the claims of a signed OIDC ID token
 * the server checked itself (issuer, subject, repository, run, …); nobody holding a shared token can
 * produce it. {@code DECLARED}: what the caller wrote in the request body or what the CLI stamped from
 * its CI's environment variables; anyone can write it. {@code NONE}: no provenance at all.
 */
public enum ProvenanceKind {
    VERIFIED, DECLARED, NONE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code null} and unknown words read as {@code null}: a reader older or newer than the writer shows what it can. */
    public static ProvenanceKind fromWire(String value) {
        if (value == null) {
            return null;
        }
        for (ProvenanceKind k : values()) {
            if (k.wire().equals(value)) {
                return k;
            }
        }
        return null;
    }

    /**
     * The kind a change shows: the one it recorded, or for an entry written before kinds were recorded
     * (schema V6), declared when it carried provenance and none when it did not. No change before V6
     * recorded verified claims, so nothing old can show as verified.
     */
    public static ProvenanceKind of(ProvenanceKind recorded, Map<String, String> provenance) {
        if (recorded != null) {
            return recorded;
        }
        return provenance == null || provenance.isEmpty() ? NONE : DECLARED;
    }
}
