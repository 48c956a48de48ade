package io.imagebuilder.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The ssh options of every connection: never ask, always verify the host key, and use only the identity given.
 * Docker's engine connections and Ansible's runs take the same options; Ansible's as one shell-quoted string.
 */
public final class SshOptions {

    private static final Pattern SAFE_ARGUMENT = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private SshOptions() {
    }

    /** The options as ssh arguments ({@code -o NAME=VALUE} pairs). */
    public static List<String> of(SshIdentity identity) {
        List<String> args = new ArrayList<>(List.of("-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"));
        if (identity.privateKey() != null) {
            args.addAll(List.of("-o", "IdentityFile=" + quoted(identity.privateKey().toAbsolutePath().toString()),
                    "-o", "IdentitiesOnly=yes"));
        }
        if (identity.knownHosts() != null) {
            args.addAll(List.of("-o",
                    "UserKnownHostsFile=" + quoted(identity.knownHosts().toAbsolutePath().toString())));
        }
        return args;
    }

    /** The same options for a tool that splits them as a shell does (Ansible's {@code ansible_ssh_common_args}). */
    public static String shellWords(SshIdentity identity) {
        return String.join(" ", of(identity).stream().map(SshOptions::shellQuote).toList());
    }

    /**
     * ssh splits option values at blanks, reads quotes and backslashes in them, and expands %-tokens in file
     * names (for IdentityFile too, after checking the unexpanded name): quoted and escaped, a path is taken
     * exactly as it is.
     */
    static String quoted(String path) {
        return "\"" + path.replace("\\", "\\\\").replace("\"", "\\\"").replace("%", "%%") + "\"";
    }

    static String shellQuote(String s) {
        if (SAFE_ARGUMENT.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
