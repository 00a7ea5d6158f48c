package io.lockstep.oci;

import java.net.URI;
import java.util.Map;

/**
 * One logical request to the registry, before auth, retries and redirects are applied.
 *
 * @param scope token scope the request needs, e.g. {@code repository:team/app:pull}; null for {@code /v2/}
 * @param what  human description used in error messages, e.g. {@code HEAD manifest team/app:v1}
 */
record RegistryRequest(String method, URI uri, Map<String, String> headers, byte[] body, String scope, String what) {

    static RegistryRequest of(String method, URI uri, String scope, String what) {
        return new RegistryRequest(method, uri, Map.of(), null, scope, what);
    }

    RegistryRequest withHeaders(Map<String, String> h) {
        return new RegistryRequest(method, uri, h, body, scope, what);
    }

    RegistryRequest withBody(byte[] b) {
        return new RegistryRequest(method, uri, headers, b, scope, what);
    }
}
