package io.lockstep.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A manifest as fetched: its verified {@link ManifestRef} and the exact bytes. The bytes are kept
 * because the digest is over them; re-serialising the JSON would change the digest.
 */
public record Manifest(ManifestRef ref, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One entry of an index's {@code manifests} array. */
    public record Descriptor(String mediaType, String digest, long size, String os, String architecture, String variant) {
    }

    public Manifest {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public String digest() {
        return ref.digest();
    }

    public String mediaType() {
        return ref.mediaType();
    }

    public boolean isIndex() {
        return ref.isIndex();
    }

    /** The entries of an index (empty for an image manifest). */
    public List<Descriptor> platformManifests() {
        List<Descriptor> out = new ArrayList<>();
        for (JsonNode m : json().path("manifests")) {
            JsonNode p = m.path("platform");
            out.add(new Descriptor(m.path("mediaType").asText(null), m.path("digest").asText(null), m.path("size").asLong(),
                    p.path("os").asText(null), p.path("architecture").asText(null), p.path("variant").asText(null)));
        }
        return out;
    }

    /** The config blob digest of an image manifest. */
    public Optional<String> configDigest() {
        return Optional.ofNullable(json().path("config").path("digest").asText(null));
    }

    JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException("manifest " + ref.digest() + " is not valid JSON");
        }
    }
}
