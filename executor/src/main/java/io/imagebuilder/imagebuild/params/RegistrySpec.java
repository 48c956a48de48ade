package io.imagebuilder.imagebuild.params;

/** The registry images are pushed to; {@code insecure} allows plain HTTP. */
public record RegistrySpec(String url, Credentials credentials, boolean insecure) {

    /** The registry's host[:port], as image references name it. */
    public String host() {
        String u = url.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = u.indexOf('/');
        return slash < 0 ? u : u.substring(0, slash);
    }

    /**
     * Whether the docker client may talk plain HTTP to the registry: when it is declared insecure, or when it is
     * on the loopback network, which the Docker engine itself treats as insecure (so pushes work there, and the
     * client's manifest commands must follow suit).
     */
    public boolean plainHttpAllowed() {
        String h = host().replaceFirst(":[0-9]+$", "");
        return insecure || h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]");
    }
}
