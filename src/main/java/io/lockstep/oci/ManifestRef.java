package io.lockstep.oci;

/**
 * What a registry says about a manifest without sending it: its digest (the pin value), media type
 * and size in bytes.
 */
public record ManifestRef(String digest, String mediaType, long size) {

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }
}
