package io.imagebuilder.imagebuild.source;

import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.Secret;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A URL as the user wrote it, split so that credentials never travel inside it: {@code address} is what is handed
 * to JGit or the HTTP client (no password, and for HTTP no user either), {@code userInfo} the credentials the URL
 * carried, {@code display} the form for messages and logs (also without a query string, which may hold a token).
 * An scp-like address ({@code user@host:path}) has the scheme {@code ssh} and {@code scpLike} set.
 */
record RemoteUrl(String scheme, String address, Credentials userInfo, String display, boolean scpLike,
                 List<String> secrets) {

    static final Set<String> HTTP_SCHEMES = Set.of("http", "https");
    static final Set<String> GIT_SCHEMES = Set.of("https", "http", "ssh", "git", "file");

    private static final Pattern WITH_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://(.*)", Pattern.DOTALL);
    /** Git's rule: a colon before any slash makes an scp-like SSH address. */
    private static final Pattern SCP_LIKE =
            Pattern.compile("(?:([^@/:\\s]+)@)?([^@/:\\s\\[\\]]+|\\[[^\\]/]+\\]):(.*)", Pattern.DOTALL);

    RemoteUrl {
        secrets = List.copyOf(secrets);
    }

    static RemoteUrl parse(String text, String field) throws SourceException {
        if (text == null || text.isBlank()) throw new SourceException(field + " is empty");
        String url = text.trim();
        Matcher m = WITH_SCHEME.matcher(url);
        if (m.matches()) return withScheme(m.group(1).toLowerCase(Locale.ROOT), m.group(2), field);
        if (url.startsWith("/")) {
            // git reads an absolute path as a local repository, the same as file://
            return new RemoteUrl("file", java.nio.file.Path.of(url).toUri().toString(), Credentials.NONE, url, false,
                    List.of());
        }
        Matcher scp = SCP_LIKE.matcher(url);
        if (scp.matches()) {
            return new RemoteUrl("ssh", url, Credentials.NONE, url, true, List.of());
        }
        throw new SourceException(field + " '" + Redaction.stripUserInfo(url) + "' is not a URL (it has no scheme)");
    }

    private static RemoteUrl withScheme(String scheme, String rest, String field) throws SourceException {
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) end = i;
        }
        String authority = rest.substring(0, end);
        String tail = rest.substring(end);
        int at = authority.lastIndexOf('@');
        String rawUserInfo = at < 0 ? null : authority.substring(0, at);
        String hostPort = at < 0 ? authority : authority.substring(at + 1);
        if (hostPort.isEmpty() && !scheme.equals("file")) {
            throw new SourceException(field + " '" + scheme + "://" + hostPort + tail + "' has no host");
        }

        String user = null;
        String password = null;
        List<String> secrets = new ArrayList<>();
        if (rawUserInfo != null) {
            int colon = rawUserInfo.indexOf(':');
            String rawUser = colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon);
            String rawPassword = colon < 0 ? null : rawUserInfo.substring(colon + 1);
            user = rawUser.isEmpty() ? null : decode(rawUser);
            password = rawPassword == null ? null : decode(rawPassword);
            if (rawPassword != null) {
                secrets.add(rawUserInfo);
                secrets.add(rawPassword);
                secrets.add(password);
            }
            // over HTTP the user name may be the token itself (https://TOKEN@host/)
            if (!scheme.equals("ssh")) {
                secrets.add(rawUser);
                secrets.add(user);
            }
        }

        String address;
        Credentials userInfo;
        if (scheme.equals("ssh")) {
            // the SSH user is the login and stays in the address; only a password moves to the credentials
            String login = user == null ? "" : rawUserInfo.split(":", 2)[0] + "@";
            address = scheme + "://" + login + hostPort + tail;
            userInfo = password == null ? Credentials.NONE : new Credentials(user, Secret.of(password));
        } else {
            address = scheme + "://" + hostPort + tail;
            boolean carries = user != null || password != null;
            userInfo = carries && !scheme.equals("file") && !scheme.equals("git")
                    ? new Credentials(user, Secret.of(password)) : Credentials.NONE;
        }
        return new RemoteUrl(scheme, address, userInfo, displayOf(address), false, secrets);
    }

    private static String displayOf(String address) {
        int q = address.indexOf('?');
        int h = address.indexOf('#');
        int cut = q < 0 ? h : (h < 0 ? q : Math.min(q, h));
        return cut < 0 ? address : address.substring(0, cut) + (q >= 0 ? "?…" : "");
    }

    /** Percent-decoding as in URLs; a plus sign stays a plus sign (it is not form encoding). */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** Throws unless the scheme is one of {@code accepted}; {@code acceptedText} lists them for the user. */
    RemoteUrl requireScheme(Set<String> accepted, boolean scpLikeAccepted, String field, String acceptedText)
            throws SourceException {
        boolean ok = scpLike ? scpLikeAccepted : accepted.contains(scheme);
        if (!ok) {
            String named = scpLike ? "scp-like address" : "URL scheme '" + scheme + "'";
            throw new SourceException("unsupported " + named + " in " + field + " (" + display + "); accepted: "
                    + acceptedText);
        }
        return this;
    }

    boolean ssh() {
        return scheme.equals("ssh");
    }

    /** The credentials to use: those given explicitly win over those written into the URL. */
    Credentials credentials(Credentials explicit) {
        return explicit != null && explicit.present() ? explicit : userInfo;
    }
}
