package io.lockstep.oci;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real registry (and a client for it) shared by a test class:
 * {@code @RegisterExtension static final SharedRegistry shared = new SharedRegistry();}.
 * Started before the class, stopped and its storage deleted after it.
 */
public final class SharedRegistry implements BeforeAllCallback, AfterAllCallback {
    private RegistryFixture fixture;
    private RegistryClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        fixture = RegistryFixture.startDefault();
        client = new RegistryClient(fixture.clientConfig().build());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (fixture != null) {
            fixture.close();
        }
    }

    public RegistryFixture fixture() {
        return fixture;
    }

    public RegistryClient client() {
        return client;
    }
}
