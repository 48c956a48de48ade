package io.imagebuilder.imagebuild.params;

import java.util.regex.Pattern;

/**
 * What git accepts as a branch or tag name (git check-ref-format) or a commit; anything else can only fail, after
 * the repository has been cloned.
 */
final class GitVersions {

    static final String RULES = "expected no spaces, control characters, '~', '^', ':', '?', '*', '[', '\\' or "
            + "'..', not starting with '-' or '/', and not ending with '/', '.' or '.lock'";

    private static final Pattern FORBIDDEN = Pattern.compile("[\\x00-\\x20\\x7f~^:?*\\[\\\\]|\\.\\.|@\\{|//");

    private GitVersions() {
    }

    static boolean valid(String version) {
        if (version.isEmpty() || version.equals("@") || version.startsWith("-") || version.startsWith("/")) return false;
        if (version.endsWith("/") || version.endsWith(".") || version.endsWith(".lock")) return false;
        if (FORBIDDEN.matcher(version).find()) return false;
        for (String part : version.split("/")) {
            if (part.startsWith(".")) return false;
        }
        return true;
    }
}
