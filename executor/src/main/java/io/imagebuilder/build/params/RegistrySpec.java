package io.imagebuilder.build.params;

/** The registry images are pushed to; {@code insecure} allows plain HTTP. */
public record RegistrySpec(String url, Credentials credentials, boolean insecure) {

    /** The registry's host[:port], as image references name it. */
    public String host() {
        String u = url.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = u.indexOf('/');
        return slash < 0 ? u : u.substring(0, slash);
    }
}
