package io.imagebuilder.server.db;

import java.util.Locale;
import java.util.regex.Pattern;

/** Why a job did not succeed, as programs read it; the message beside it is for people. */
public enum ErrorCode {
    INVALID_REQUEST, BUILD_FAILED, DEPLOYMENT_FAILED, TIMED_OUT, REGISTRY_REFUSED, CANCELLED, INTERRUPTED,
    SERVER_ERROR;

    /** What registries and the docker client say when they refuse a login or a push. */
    private static final Pattern REFUSED = Pattern.compile("(?i)logging in to |unauthorized|authentication required"
            + "|requested access to the resource is denied|no basic auth credentials|incorrect username or password");
    private static final Pattern TIMED_OUT_MESSAGE = Pattern.compile("timed out after \\d");

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ErrorCode parse(String text) {
        return text == null ? null : valueOf(text.toUpperCase(Locale.ROOT));
    }

    /**
     * The code of a build or deployment that ran and failed, from its message: the build reports a time limit or
     * a registry's refusal only as text.
     */
    public static ErrorCode ofFailure(String message, boolean deployment) {
        if (message != null && TIMED_OUT_MESSAGE.matcher(message).find()) return TIMED_OUT;
        if (message != null && REFUSED.matcher(message).find()) return REGISTRY_REFUSED;
        return deployment ? DEPLOYMENT_FAILED : BUILD_FAILED;
    }
}
