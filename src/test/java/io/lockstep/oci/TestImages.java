package io.lockstep.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Builds small but real OCI images and pushes them with {@link RegistryClient}: one gzip'd tar layer
 * holding a single file, an image config with labels and correct {@code rootfs.diff_ids}, and an OCI
 * image manifest; or an OCI index over several such manifests. Images are valid enough for
 * {@code skopeo inspect}/{@code copy}. The layer content includes repository, tag and platform so
 * every pushed image has its own digest.
 */
public final class TestImages {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An image that was pushed: where, its manifest digest and bytes, and its config digest. */
    public record PushedImage(String repository, String reference, String digest, String mediaType, byte[] manifest,
                              long size, String configDigest, String os, String architecture) {
    }

    private TestImages() {
    }

    /** A linux/amd64 image under {@code tag}. */
    public static PushedImage pushImage(RegistryClient client, String repository, String tag, Map<String, String> labels) {
        return pushImage(client, repository, tag, labels, "linux", "amd64");
    }

    /**
     * Pushes layer, config and manifest.
     *
     * @param tag tag to put the manifest under, or null to push it by digest only (index members)
     */
    public static PushedImage pushImage(RegistryClient client, String repository, String tag, Map<String, String> labels,
                                        String os, String architecture) {
        byte[] tar = tar("hello.txt", ("lockstep test image " + repository + ":" + tag + " " + os + "/" + architecture + "\n")
                .getBytes(StandardCharsets.UTF_8));
        byte[] layer = gzip(tar);
        String layerDigest = client.pushBlob(repository, layer);

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("created", "2026-01-01T00:00:00Z");
        config.put("architecture", architecture);
        config.put("os", os);
        config.put("config", Map.of("Labels", new LinkedHashMap<>(labels)));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(Digests.sha256(tar))));
        byte[] configBytes = json(config);
        String configDigest = client.pushBlob(repository, configBytes);

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", descriptor(MediaTypes.OCI_CONFIG, configDigest, configBytes.length));
        manifest.put("layers", List.of(descriptor(MediaTypes.OCI_LAYER_GZIP, layerDigest, layer.length)));
        byte[] manifestBytes = json(manifest);
        String digest = Digests.sha256(manifestBytes);
        String stored = client.putManifest(repository, tag != null ? tag : digest, manifestBytes, MediaTypes.OCI_MANIFEST);
        if (!stored.equals(digest)) {
            throw new AssertionError("putManifest returned " + stored + ", expected " + digest);
        }
        return new PushedImage(repository, tag, digest, MediaTypes.OCI_MANIFEST, manifestBytes, manifestBytes.length,
                configDigest, os, architecture);
    }

    /** A linux/amd64 + linux/arm64 index under {@code tag}, both members carrying {@code labels}. */
    public static PushedImage pushIndex(RegistryClient client, String repository, String tag, Map<String, String> labels) {
        List<PushedImage> members = List.of(
                pushImage(client, repository, null, labels, "linux", "amd64"),
                pushImage(client, repository, null, labels, "linux", "arm64"));
        return pushIndex(client, repository, tag, members);
    }

    /** An OCI index over already pushed manifests. */
    public static PushedImage pushIndex(RegistryClient client, String repository, String tag, List<PushedImage> members) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (PushedImage m : members) {
            Map<String, Object> d = descriptor(m.mediaType(), m.digest(), m.size());
            d.put("platform", Map.of("os", m.os(), "architecture", m.architecture()));
            entries.add(d);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", entries);
        byte[] bytes = json(index);
        String digest = client.putManifest(repository, tag, bytes, MediaTypes.OCI_INDEX);
        return new PushedImage(repository, tag, digest, MediaTypes.OCI_INDEX, bytes, bytes.length, null, null, null);
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static byte[] json(Object o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A ustar archive with one regular file, written by hand (the JDK has no tar writer). */
    static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name, 100);
        put(header, 100, "0000644", 8);
        put(header, 108, "0000000", 8);
        put(header, 116, "0000000", 8);
        put(header, 124, String.format("%011o", content.length), 12);
        put(header, 136, String.format("%011o", 1767225600L), 12);
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        header[156] = '0';
        put(header, 257, "ustar", 6);
        put(header, 263, "00", 2);
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum), 7);
        header[155] = ' ';
        int padded = (content.length + 511) / 512 * 512;
        byte[] out = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, out, 0, 512);
        System.arraycopy(content, 0, out, 512, content.length);
        return out;
    }

    private static void put(byte[] buf, int off, String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, buf, off, Math.min(b.length, max));
    }
}
