package io.lockstep.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client for one OCI distribution registry (the {@code /v2/} API), on the JDK HttpClient. It covers
 * what Lockstep needs: resolve tags and check digests (verify before promote, audit), list tags
 * (watch), read image labels (git_sha / runtime_version), and write manifests and blobs (tag mirror,
 * test images). Every digest the registry reports for content we download is recomputed from the
 * bytes; a registry or proxy that disagrees with itself is an error, not a pin.
 *
 * <p>Thread-safe; create one per registry host and share it.
 */
public final class RegistryClient {

    /** The OCI repository name grammar; also keeps path tricks ({@code ..}, {@code %2F}) out of our URLs. */
    private static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");
    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGES = 10_000;
    /** Largest blob {@link #getBlob} reads into memory; configs are kilobytes, layers are not for us. */
    private static final int MAX_BLOB_BYTES = 16 * 1024 * 1024;
    private static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.MANIFEST_ACCEPT);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryConfig config;
    private final RegistryTransport transport;

    public RegistryClient(RegistryConfig config) {
        this(config, RegistryTiming.system());
    }

    /** With injected time, sleeping and jitter (tests). */
    public RegistryClient(RegistryConfig config, RegistryTiming timing) {
        this.config = config;
        this.transport = new RegistryTransport(config, timing);
    }

    public RegistryConfig config() {
        return config;
    }

    /** {@code host[:port]} of this registry. */
    public String host() {
        return config.host();
    }

    /** {@code GET /v2/}: checks the registry is reachable and our credentials are accepted. */
    public void ping() {
        HttpResponse<byte[]> resp = transport.send(RegistryRequest.of("GET", url("/v2/"), null, "GET /v2/"));
        if (resp.statusCode() != 200) {
            throw new RegistryException("GET /v2/ on registry " + host() + ": unexpected HTTP " + resp.statusCode());
        }
    }

    /**
     * {@code HEAD} a manifest by tag or digest: digest, media type and size, or empty if the registry
     * answers 404. The digest is the index digest for multi-platform images.
     */
    public Optional<ManifestRef> headManifest(String repository, String reference) {
        checkName(repository, reference);
        String what = "HEAD manifest " + ref(repository, reference);
        HttpResponse<byte[]> resp = transport.send(manifestRequest("HEAD", repository, reference, what));
        if (resp.statusCode() == 404) {
            return Optional.empty();
        }
        expect(resp, 200, what);
        Optional<String> digest = resp.headers().firstValue("Docker-Content-Digest");
        if (digest.isEmpty()) {
            // Some registries omit the header on HEAD; the body tells us the truth.
            return Optional.of(getManifest(repository, reference).ref());
        }
        if (!Digests.isDigest(digest.get())) {
            throw new RegistryException(what + " on registry " + host() + ": malformed Docker-Content-Digest");
        }
        if (Digests.isDigest(reference) && !reference.equals(digest.get())) {
            throw new RegistryException(what + " on registry " + host() + ": registry reports digest " + digest.get());
        }
        long size = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        return Optional.of(new ManifestRef(digest.get(), mediaType(resp), size));
    }

    /**
     * {@code GET} a manifest. The sha256 of the body must equal {@code Docker-Content-Digest} (when
     * sent) and the reference (when it is a digest); otherwise {@link RegistryException}.
     *
     * @throws RegistryNotFoundException on 404
     */
    public Manifest getManifest(String repository, String reference) {
        checkName(repository, reference);
        String what = "GET manifest " + ref(repository, reference);
        HttpResponse<byte[]> resp = transport.send(manifestRequest("GET", repository, reference, what));
        if (resp.statusCode() == 404) {
            throw new RegistryNotFoundException(what + " on registry " + host() + ": not found" + RegistryTransport.errorCodes(resp));
        }
        expect(resp, 200, what);
        byte[] body = resp.body();
        Optional<String> header = resp.headers().firstValue("Docker-Content-Digest");
        String expected = Digests.isDigest(reference) ? reference : header.orElse(null);
        String computed = expected != null ? Digests.computeLike(expected, body) : Digests.sha256(body);
        if (header.isPresent() && !header.get().equals(Digests.computeLike(header.get(), body))) {
            throw new RegistryException(what + " on registry " + host() + ": body digest " + Digests.computeLike(header.get(), body)
                    + " does not match Docker-Content-Digest " + header.get());
        }
        if (Digests.isDigest(reference) && !reference.equals(computed)) {
            throw new RegistryException(what + " on registry " + host() + ": body digest " + computed + " does not match the requested digest");
        }
        return new Manifest(new ManifestRef(computed, mediaType(resp), body.length), body);
    }

    /** True if a manifest with this digest exists in the repository (404 → false). */
    public boolean exists(String repository, String digest) {
        requireDigest(digest);
        return headManifest(repository, digest).isPresent();
    }

    /** All tags of a repository, following pagination, each once, in the registry's order. */
    public List<String> listTags(String repository) {
        return listTags(repository, DEFAULT_PAGE_SIZE);
    }

    /**
     * All tags, asking for {@code pageSize} per page. Follows {@code Link: <…>; rel="next"}; if a
     * registry sends full pages without a Link header, continues with {@code last=<last tag>}.
     *
     * @throws RegistryNotFoundException if the repository does not exist
     */
    public List<String> listTags(String repository, int pageSize) {
        checkRepository(repository);
        if (pageSize < 1) {
            throw new IllegalArgumentException("tag page size must be >= 1");
        }
        String what = "GET tags of " + repository;
        Set<String> tags = new LinkedHashSet<>();
        Set<URI> seen = new HashSet<>();
        URI next = url("/v2/" + repository + "/tags/list?n=" + pageSize);
        for (int page = 0; next != null; page++) {
            if (page >= MAX_PAGES || !seen.add(next)) {
                throw new RegistryException(what + " on registry " + host() + ": pagination does not end");
            }
            HttpResponse<byte[]> resp = transport.send(RegistryRequest.of("GET", next, pullScope(repository), what)
                    .withHeaders(Map.of("Accept", "application/json")));
            if (resp.statusCode() == 404) {
                throw new RegistryNotFoundException(what + " on registry " + host() + ": repository not found" + RegistryTransport.errorCodes(resp));
            }
            expect(resp, 200, what);
            List<String> pageTags = new ArrayList<>();
            JsonNode body = readJson(resp.body(), what);
            for (JsonNode t : body.path("tags")) {
                pageTags.add(t.asText());
            }
            boolean grew = tags.addAll(pageTags);
            Optional<URI> link = resp.headers().allValues("Link").stream()
                    .map(LINK_NEXT::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
                    .map(l -> config.baseUrl().resolve(l));
            if (link.isPresent()) {
                next = link.get();
            } else if (pageTags.size() == pageSize && grew) {
                // No Link but a full page: ask for what follows the last tag (spec's `last`). A registry
                // that ignores `last` (distribution 2.8 does) sends no new tags, and we stop.
                next = url("/v2/" + repository + "/tags/list?n=" + pageSize + "&last="
                        + URLEncoder.encode(pageTags.get(pageTags.size() - 1), StandardCharsets.UTF_8));
            } else {
                next = null;
            }
        }
        return List.copyOf(tags);
    }

    /**
     * Labels from the image config. For an index, the linux/amd64 image is read (or the first entry
     * when there is none): all platforms of one build carry the same revision and version.
     */
    public ImageLabels labels(String repository, String reference) {
        Manifest manifest = getManifest(repository, reference);
        if (manifest.isIndex()) {
            List<Manifest.Descriptor> entries = manifest.platformManifests();
            if (entries.isEmpty()) {
                throw new RegistryException("index " + ref(repository, reference) + " on registry " + host() + " lists no manifests");
            }
            Manifest.Descriptor chosen = entries.stream()
                    .filter(d -> "linux".equals(d.os()) && "amd64".equals(d.architecture()))
                    .findFirst().orElse(entries.get(0));
            manifest = getManifest(repository, chosen.digest());
            if (manifest.isIndex()) {
                throw new RegistryException("index " + ref(repository, reference) + " on registry " + host() + " nests another index");
            }
        }
        String configDigest = manifest.configDigest().filter(Digests::isDigest).orElseThrow(() ->
                new RegistryException("manifest " + ref(repository, reference) + " on registry " + host() + " has no config digest"));
        JsonNode config = readJson(getBlob(repository, configDigest), "config blob " + ref(repository, configDigest));
        Map<String, String> labels = new LinkedHashMap<>();
        config.path("config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new ImageLabels(labels);
    }

    /**
     * {@code PUT} a manifest under a tag (or digest). Returns the digest of {@code body}, after checking
     * that the registry stored exactly that.
     */
    public String putManifest(String repository, String reference, byte[] body, String mediaType) {
        checkName(repository, reference);
        String digest = Digests.sha256(body);
        String what = "PUT manifest " + ref(repository, reference);
        if (Digests.isDigest(reference) && !Digests.computeLike(reference, body).equals(reference)) {
            throw new IllegalArgumentException(what + ": body digest " + digest + " does not match the reference");
        }
        HttpResponse<byte[]> resp = transport.send(RegistryRequest.of("PUT", manifestUrl(repository, reference), pushScope(repository), what)
                .withHeaders(Map.of("Content-Type", mediaType)).withBody(body));
        expect(resp, 201, what);
        Optional<String> stored = resp.headers().firstValue("Docker-Content-Digest");
        if (stored.isPresent() && !stored.get().equals(digest)) {
            throw new RegistryException(what + " on registry " + host() + ": registry stored digest " + stored.get() + ", expected " + digest);
        }
        return digest;
    }

    /**
     * Deletes a manifest by digest (the registry must have deletes enabled).
     *
     * @throws RegistryNotFoundException if there is no such manifest
     */
    public void deleteManifest(String repository, String digest) {
        checkRepository(repository);
        requireDigest(digest);
        String what = "DELETE manifest " + ref(repository, digest);
        HttpResponse<byte[]> resp = transport.send(RegistryRequest.of("DELETE", manifestUrl(repository, digest),
                "repository:" + repository + ":delete", what));
        if (resp.statusCode() == 404) {
            throw new RegistryNotFoundException(what + " on registry " + host() + ": not found" + RegistryTransport.errorCodes(resp));
        }
        if (resp.statusCode() == 405) {
            throw new RegistryException(what + " on registry " + host() + ": deletes are disabled on this registry" + RegistryTransport.errorCodes(resp));
        }
        expect(resp, 202, what);
    }

    /** True if the repository has a blob with this digest. */
    public boolean blobExists(String repository, String digest) {
        checkRepository(repository);
        requireDigest(digest);
        String what = "HEAD blob " + ref(repository, digest);
        HttpResponse<byte[]> resp = transport.send(RegistryRequest.of("HEAD", blobUrl(repository, digest), pullScope(repository), what));
        if (resp.statusCode() == 404) {
            return false;
        }
        expect(resp, 200, what);
        return true;
    }

    /** Downloads a (small) blob and checks its digest. Meant for image configs; refuses blobs over 16 MiB. */
    public byte[] getBlob(String repository, String digest) {
        checkRepository(repository);
        requireDigest(digest);
        String what = "GET blob " + ref(repository, digest);
        HttpResponse<byte[]> resp = transport.send(RegistryRequest.of("GET", blobUrl(repository, digest), pullScope(repository), what));
        if (resp.statusCode() == 404) {
            throw new RegistryNotFoundException(what + " on registry " + host() + ": not found" + RegistryTransport.errorCodes(resp));
        }
        expect(resp, 200, what);
        byte[] body = resp.body();
        if (body.length > MAX_BLOB_BYTES) {
            throw new RegistryException(what + " on registry " + host() + ": blob larger than " + MAX_BLOB_BYTES + " bytes");
        }
        String computed = Digests.computeLike(digest, body);
        if (!computed.equals(digest)) {
            throw new RegistryException(what + " on registry " + host() + ": body digest " + computed + " does not match");
        }
        return body;
    }

    /**
     * Uploads a blob in one piece ({@code POST} then {@code PUT ?digest=}) unless the repository
     * already has it. Returns its digest.
     */
    public String pushBlob(String repository, byte[] content) {
        checkRepository(repository);
        String digest = Digests.sha256(content);
        if (blobExists(repository, digest)) {
            return digest;
        }
        String what = "upload blob " + ref(repository, digest);
        HttpResponse<byte[]> start = transport.send(RegistryRequest.of("POST", url("/v2/" + repository + "/blobs/uploads/"),
                pushScope(repository), what));
        expect(start, 202, what);
        String location = start.headers().firstValue("Location").orElseThrow(() ->
                new RegistryException(what + " on registry " + host() + ": upload started without a Location"));
        URI uploadUri = config.baseUrl().resolve(location);
        String sep = uploadUri.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(uploadUri + sep + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
        HttpResponse<byte[]> done = transport.send(RegistryRequest.of("PUT", put, pushScope(repository), what)
                .withHeaders(Map.of("Content-Type", "application/octet-stream")).withBody(content));
        expect(done, 201, what);
        Optional<String> stored = done.headers().firstValue("Docker-Content-Digest");
        if (stored.isPresent() && !stored.get().equals(digest)) {
            throw new RegistryException(what + " on registry " + host() + ": registry stored digest " + stored.get());
        }
        return digest;
    }

    private RegistryRequest manifestRequest(String method, String repository, String reference, String what) {
        return RegistryRequest.of(method, manifestUrl(repository, reference), pullScope(repository), what)
                .withHeaders(Map.of("Accept", MANIFEST_ACCEPT));
    }

    private URI manifestUrl(String repository, String reference) {
        return url("/v2/" + repository + "/manifests/" + reference);
    }

    private URI blobUrl(String repository, String digest) {
        return url("/v2/" + repository + "/blobs/" + digest);
    }

    private URI url(String pathAndQuery) {
        return URI.create(config.baseUrl() + pathAndQuery);
    }

    private static String pullScope(String repository) {
        return "repository:" + repository + ":pull";
    }

    private static String pushScope(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    private static String ref(String repository, String reference) {
        return repository + (Digests.isDigest(reference) ? "@" : ":") + reference;
    }

    private static String mediaType(HttpResponse<?> resp) {
        return resp.headers().firstValue("Content-Type").map(ct -> ct.split(";", 2)[0].trim()).orElse("");
    }

    private void expect(HttpResponse<byte[]> resp, int status, String what) {
        if (resp.statusCode() != status) {
            throw new RegistryException(what + " on registry " + host() + ": unexpected HTTP " + resp.statusCode()
                    + RegistryTransport.errorCodes(resp));
        }
    }

    private static JsonNode readJson(byte[] body, String what) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RegistryException(what + ": response is not valid JSON");
        }
    }

    private static void checkName(String repository, String reference) {
        checkRepository(repository);
        if (reference == null || !(TAG.matcher(reference).matches() || Digests.isDigest(reference))) {
            throw new IllegalArgumentException("invalid image reference for " + repository + ": must be a tag or sha256:<64 hex> digest");
        }
    }

    private static void checkRepository(String repository) {
        if (repository == null || repository.length() > 255 || !REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("invalid repository name: " + repository);
        }
    }

    private static void requireDigest(String digest) {
        if (!Digests.isDigest(digest)) {
            throw new IllegalArgumentException("not a digest (sha256:<64 lower-case hex>): " + digest);
        }
    }
}
