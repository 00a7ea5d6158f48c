package io.lockstep.cli.client;

import java.net.URI;

/**
 * One control plane the CLI talks to: a name for output, the server URL, the environment on that
 * server, and the token (read from {@code tokenVariable}; null when that variable is unset or empty,
 * which preflight reports). {@code toString} never includes the token.
 */
public record Target(String name, URI url, String environment, String tokenVariable, Token token) {
    @Override
    public String toString() {
        return name + " (" + url + ", environment " + environment + ")";
    }
}
