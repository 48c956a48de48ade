package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Quote;
import io.imagebuilder.yaml.YNode;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the URLs of build_params. Messages never repeat a URL: one with credentials in it would print them.
 */
public final class Urls {

    private static final List<String> GIT_SCHEMES = List.of("https", "http", "ssh", "git", "file");
    private static final List<String> HTTP_SCHEMES = List.of("http", "https");

    /** scheme://authority then the rest; the authority may hold user[:password]@. */
    private static final Pattern WITH_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)");
    /** git's scp-like form, {@code git@github.com:owner/repo.git}. */
    private static final Pattern SCP_LIKE = Pattern.compile("[^/@:]+@[^/@:]+:.*");

    private Urls() {
    }

    /**
     * A git repository: a URL of one of {@link #GIT_SCHEMES}, scp-like {@code user@host:path}, or an absolute
     * path on the machine running the executor (as library/image_builder/datatypes.yaml documents for
     * GitRepo.url).
     */
    static void git(String url, YNode at, String path, Problems problems) {
        if (!wellFormed(url, at, path, problems)) return;
        Matcher m = WITH_SCHEME.matcher(url);
        if (m.matches()) {
            checkSchemeUrl(m, GIT_SCHEMES, "expected https, http, ssh, git or file, or user@host:path", at, path,
                    problems);
        } else if (!SCP_LIKE.matcher(url).matches() && !url.startsWith("/")) {
            problems.add(at, path + ": not a git URL; expected an https, http, ssh, git or file URL, "
                    + "user@host:path or an absolute local path");
        }
    }

    /**
     * Whether a git URL names a repository of the machine running the executor: a file URL (schemes are
     * case-insensitive, so FILE:// too) or an absolute path, as the git source reads them.
     */
    public static boolean namesLocalRepository(String url) {
        String u = url.strip();
        Matcher m = WITH_SCHEME.matcher(u);
        if (m.matches()) return m.group(1).toLowerCase(Locale.ROOT).equals("file");
        return u.startsWith("/");
    }

    /** A file fetched over HTTP: a Dockerfile or an archive. */
    static void http(String url, YNode at, String path, Problems problems) {
        if (!wellFormed(url, at, path, problems)) return;
        Matcher m = WITH_SCHEME.matcher(url);
        if (m.matches()) {
            checkSchemeUrl(m, HTTP_SCHEMES, "expected http or https", at, path, problems);
        } else {
            problems.add(at, path + ": not a URL; expected an http or https URL");
        }
    }

    /**
     * Credentials belong in username and password, where they are masked: in a URL they end up in logs,
     * in git's configuration and in error messages. A user name alone is normal for ssh (git@host), but over
     * HTTP it is usually a token, so HTTP URLs take no user information at all.
     */
    static boolean credentialsIn(String scheme, String authority, YNode at, String path, Problems problems) {
        int atSign = authority.lastIndexOf('@');
        if (atSign < 0) return false;
        boolean http = HTTP_SCHEMES.contains(scheme);
        if (!http && authority.substring(0, atSign).indexOf(':') < 0) return false;
        problems.add(at, path + ": the URL contains credentials; give them in the username and password fields "
                + "instead");
        return true;
    }

    private static void checkSchemeUrl(Matcher m, List<String> schemes, String accepted, YNode at, String path,
            Problems problems) {
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String authority = m.group(2);
        if (!schemes.contains(scheme)) {
            problems.add(at, path + ": scheme " + Quote.of(scheme) + " is not accepted; " + accepted);
            return;
        }
        if (credentialsIn(scheme, authority, at, path, problems)) return;
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        if (host.isEmpty() && !scheme.equals("file")) problems.add(at, path + ": the URL has no host");
    }

    /** Whitespace and control characters are never part of a URL; they are typing or pasting slips. */
    private static boolean wellFormed(String url, YNode at, String path, Problems problems) {
        if (url.isEmpty()) {
            problems.add(at, path + ": must not be empty");
            return false;
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                problems.add(at, path + ": must not contain spaces, line breaks or control characters");
                return false;
            }
        }
        return true;
    }
}
