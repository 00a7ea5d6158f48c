package io.lockstep.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The one way Lockstep reads YAML (server config, targets files, release files, registry configs):
 * a duplicated key is an error everywhere, because the silently-last-one-wins rule of plain YAML
 * would let a copy-pasted line override a digest or a token variable unnoticed.
 */
public final class Yaml {
    private static final ObjectMapper STRICT = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private Yaml() {
    }

    /** Throws {@link java.nio.file.NoSuchFileException} for a missing file, so callers can say so plainly. */
    public static JsonNode read(Path file) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return STRICT.readTree(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such file");
        }
    }

    public static JsonNode read(InputStream in) throws IOException {
        return STRICT.readTree(in);
    }

    public static JsonNode emptyDocument() {
        return STRICT.createObjectNode();
    }
}
