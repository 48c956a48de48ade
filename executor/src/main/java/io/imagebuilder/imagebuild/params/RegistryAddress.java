package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Quote;
import io.imagebuilder.yaml.YNode;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code target.registry.url}: the registry's host[:port], which image references are prefixed with, optionally
 * written as an http(s) URL the way docker login accepts it. A path would be silently dropped by docker, so it
 * is refused rather than ignored.
 */
final class RegistryAddress {

    private static final String EXPECTED = "expected host[:port], optionally after http:// or https://, "
            + "e.g. docker.io or 127.0.0.1:5000";
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(.*)", Pattern.DOTALL);
    private static final Pattern HOST_PORT = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
                    + "|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?");

    private RegistryAddress() {
    }

    static void check(String url, YNode at, String path, Problems problems) {
        String rest = url;
        String scheme = "";
        Matcher m = SCHEME.matcher(url);
        if (m.matches()) {
            scheme = m.group(1).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                problems.add(at, path + ": scheme " + Quote.of(scheme) + " is not accepted; " + EXPECTED);
                return;
            }
            rest = m.group(2);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        if (Urls.credentialsIn("https", authority, at, path, problems)) return;
        if (slash >= 0 && slash != rest.length() - 1) {
            problems.add(at, path + ": a registry address has no path; " + EXPECTED);
            return;
        }
        Matcher hp = HOST_PORT.matcher(authority);
        if (!hp.matches() || hp.group(1) != null && !validPort(hp.group(1))) {
            problems.add(at, path + ": not a registry address; " + EXPECTED);
        }
    }

    private static boolean validPort(String digits) {
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65535;
    }
}
