package io.imagebuilder.imagebuild.params;

/** A user name and password (or token) for a git server, an HTTP server or a registry; either may be null. */
public record Credentials(String username, Secret password) {

    public static final Credentials NONE = new Credentials(null, null);

    public boolean present() {
        return username != null || password != null;
    }
}
