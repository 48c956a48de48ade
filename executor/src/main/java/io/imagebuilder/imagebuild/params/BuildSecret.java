package io.imagebuilder.imagebuild.params;

/**
 * One entry of build_params' {@code secrets}: what {@code RUN --mount=type=secret,id=ID} sees, and where its value
 * comes from on the executor's machine (a file, an environment variable) or the document itself (a password-like
 * {@code value}, the only form an API client can give). The value is read when the build starts, never stored.
 */
public record BuildSecret(String id, From from, String reference, Secret value) {

    /** Ids the executor gives the secrets it adds itself (the proxy CA); no entry of build_params may use them. */
    public static final String RESERVED_PREFIX = "image-builder-";

    public enum From {
        FILE("file"), ENV("env"), VALUE("value");

        private final String field;

        From(String field) {
            this.field = field;
        }

        /** The build_params field that gives a secret this way. */
        public String field() {
            return field;
        }
    }

    public static BuildSecret file(String id, String path) {
        return new BuildSecret(id, From.FILE, path, null);
    }

    public static BuildSecret env(String id, String variable) {
        return new BuildSecret(id, From.ENV, variable, null);
    }

    public static BuildSecret value(String id, Secret value) {
        return new BuildSecret(id, From.VALUE, null, value);
    }

    /** Where it is in build_params, for messages: {@code secrets.npm_token.env}. */
    public String path() {
        return "secrets." + id + "." + from.field();
    }

    @Override
    public String toString() {
        return "BuildSecret[" + path() + (reference == null ? "" : "=" + reference) + "]";
    }
}
