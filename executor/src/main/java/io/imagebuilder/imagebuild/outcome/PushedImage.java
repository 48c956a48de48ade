package io.imagebuilder.imagebuild.outcome;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pushed image: its reference, the digest of its manifest, and its platform. For a multi-platform image,
 * {@code manifestList} is the digest of the list that joins the platforms (null otherwise). {@code host} is the
 * build host it was built on.
 */
public record PushedImage(String reference, String digest, String platform, String manifestList, String host) {

    /** As the image definition's {@code images} attribute holds it. */
    public Map<String, Object> toAttribute() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", reference);
        m.put("digest", digest);
        m.put("platform", platform);
        if (manifestList != null) m.put("manifest_list", manifestList);
        if (host != null) m.put("host", host);
        return m;
    }
}
