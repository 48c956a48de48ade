package io.imagebuilder.imagebuild.dockerfile;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference as Docker reads it, {@code [host[:port]/]path[:tag][@digest]}, following the grammar of
 * distribution/reference. The host is only what Docker takes for one: a first component holding a '.' or a ':',
 * being {@code localhost}, or holding an upper-case letter; otherwise that component belongs to the path (on Docker
 * Hub). Parts not written are null; nothing is normalised ({@code python} stays {@code python}).
 */
public record ImageReference(String host, String path, String tag, String digest) {

    // distribution/reference's grammar, part by part.
    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String REMOTE_NAME = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final String IPV6_ADDRESS = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final String HOST = "(?:" + DOMAIN_NAME + "|" + IPV6_ADDRESS + ")(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:(" + HOST + ")/)?(" + REMOTE_NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");

    private static final int MAX_NAME_LENGTH = 255;
    /** The digest algorithms Docker accepts, with the length of their lower-case hex encoding. */
    private static final Map<String, Integer> DIGEST_LENGTHS = Map.of("sha256", 64, "sha384", 96, "sha512", 128);
    private static final Pattern LOWER_HEX = Pattern.compile("[a-f0-9]+");
    /**
     * Longer than any valid reference (name, tag, "sha512:" and 128 hex digits): checked before matching, because
     * the grammar's backtracking grows quadratically on long input, which comes from users.
     */
    private static final int MAX_LENGTH = MAX_NAME_LENGTH + 1 + 128 + 1 + 7 + 128;

    public ImageReference {
        Objects.requireNonNull(path, "path");
    }

    public static boolean isValid(String reference) {
        return problem(reference).isEmpty();
    }

    /** @throws IllegalArgumentException naming the reference and what is wrong with it */
    public static ImageReference parse(String reference) {
        Optional<String> problem = problem(reference);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("invalid image reference \"" + reference + "\": " + problem.get());
        }
        Matcher matcher = REFERENCE.matcher(reference);
        matcher.matches();
        String host = matcher.group(1);
        String path = matcher.group(2);
        if (host != null && !isHost(host)) {
            path = host + "/" + path;
            host = null;
        }
        return new ImageReference(host, path, matcher.group(3), matcher.group(4));
    }

    /** What is wrong with the reference, if anything. */
    static Optional<String> problem(String reference) {
        if (reference == null || reference.isEmpty()) return Optional.of("the reference is empty");
        if (reference.length() > MAX_LENGTH) return Optional.of("the reference is too long");
        Matcher matcher = REFERENCE.matcher(reference);
        if (!matcher.matches()) {
            if (REFERENCE.matcher(reference.toLowerCase(Locale.ROOT)).matches()) {
                return Optional.of("the repository name must be lower-case");
            }
            return Optional.of("it is not of the form [host[:port]/]path[:tag][@digest]");
        }
        String name = reference.substring(0, matcher.end(2));
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of("the repository name must not be longer than " + MAX_NAME_LENGTH + " characters");
        }
        String digest = matcher.group(4);
        return digest == null ? Optional.empty() : digestProblem(digest);
    }

    private static Optional<String> digestProblem(String digest) {
        int colon = digest.indexOf(':');
        Integer length = DIGEST_LENGTHS.get(digest.substring(0, colon));
        String hex = digest.substring(colon + 1);
        if (length == null || hex.length() != length || !LOWER_HEX.matcher(hex).matches()) {
            return Optional.of("the digest must be sha256:<64 hex digits> (or sha384:<96>, sha512:<128>), "
                    + "in lower case");
        }
        return Optional.empty();
    }

    /** Docker's rule for telling a registry host from the first path component. */
    private static boolean isHost(String component) {
        return component.contains(".") || component.contains(":") || component.equals("localhost")
                || !component.toLowerCase(Locale.ROOT).equals(component);
    }

    /** The repository: host and path. */
    public String name() {
        return host == null ? path : host + "/" + path;
    }

    /** The reference as Docker writes it. */
    public String reference() {
        return name() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
