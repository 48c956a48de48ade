package io.imagebuilder.imagebuild.source;

import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.secret.Redactor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from text that reaches a message or a log line: the user info of any URL it quotes and the
 * known secret values. Messages of JGit and of the JDK are passed through it, since they may quote what they got.
 */
final class Redaction {

    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*)://([^/?#\\s@]*)@");

    private final Redactor secrets;

    Redaction(Collection<String> secrets) {
        this.secrets = new Redactor(new HashSet<>(secrets));
    }

    static Redaction none() {
        return new Redaction(List.of());
    }

    /** Masks the password of explicit credentials, and both parts of credentials taken from a URL. */
    static Redaction of(RemoteUrl url, Credentials credentials) {
        List<String> secrets = new ArrayList<>(url == null ? List.of() : url.secrets());
        if (credentials != null && credentials.password() != null) secrets.add(credentials.password().value());
        return new Redaction(secrets);
    }

    String apply(String text) {
        if (text == null) return null;
        return secrets.redact(stripUserInfo(text));
    }
    /**
     * Drops the user info of every URL in the text. An SSH user name is kept (it is the login, not a secret);
     * anywhere else the user name may itself be a token, as in {@code https://TOKEN@host/}.
     */
    static String stripUserInfo(String text) {
        Matcher m = URL_USER_INFO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String scheme = m.group(1);
            String userInfo = m.group(2);
            String kept = "";
            if (scheme.equalsIgnoreCase("ssh")) {
                int colon = userInfo.indexOf(':');
                kept = (colon < 0 ? userInfo : userInfo.substring(0, colon)) + "@";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(scheme + "://" + kept));
        }
        m.appendTail(out);
        return out.toString();
    }
}
