package io.imagebuilder.deploy.ansible;

import io.imagebuilder.deploy.operation.HostConnection;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The inventory of one operation run: the single host the operation's node is hosted on.
 * <p>
 * Written like extra vars (see {@link ExtraVars}): JSON syntax, which Ansible's YAML inventory plugin reads, so
 * that every string is quoted and none can turn into a YAML 1.1 boolean or number ({@code on}, {@code no},
 * {@code 0755}); and every string, the host name included, tagged {@code !unsafe}, since Ansible evaluates Jinja2
 * in inventory values (and in {@code inventory_hostname}) as it uses them. These values come from templates,
 * inputs and attributes set at run time; a {@code lookup('pipe', …)} in one would run a command here.
 * <p>
 * The host is named by its address, so that {@code inventory_hostname} tells playbooks which machine they are on.
 * <p>
 * SSH hosts always have their host key verified: {@code StrictHostKeyChecking=yes} against the connection's
 * known hosts file (or the SSH client's default ones when it names none). The SSH connection sharing Ansible
 * uses (ControlPersist) keeps its sockets in {@code controlPathDir}, which belongs to this run only, so a
 * connection opened by another run, perhaps with other known hosts, is never reused.
 * <p>
 * On the local machine, modules are copied to {@code tempDir} in the run's work directory rather than
 * {@code ~/.ansible/tmp}, so that a stopped run leaves none of their arguments behind.
 */
final class InventoryWriter {

    static final String PYTHON = "/usr/bin/python3";
    private static final Pattern SAFE_ARGUMENT = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final String HOST_INDENT = "      ";

    private InventoryWriter() {
    }

    /**
     * @param controlPathDir where SSH connection sockets go (SSH hosts only)
     * @param tempDir the temporary directory of modules run on the local machine
     */
    static String toDocument(HostConnection host, Path controlPathDir, Path tempDir) {
        Map<String, Object> vars = new LinkedHashMap<>();
        String name;
        if (host.local()) {
            name = "localhost";
            vars.put("ansible_connection", "local");
            if (tempDir != null) vars.put("ansible_remote_tmp", tempDir.toString());
        } else {
            name = host.address();
            vars.put("ansible_connection", "ssh");
            vars.put("ansible_host", host.address());
            if (host.port() != null) vars.put("ansible_port", host.port());
            if (host.user() != null) vars.put("ansible_user", host.user());
            if (host.privateKey() != null) {
                vars.put("ansible_ssh_private_key_file", host.privateKey().toAbsolutePath().toString());
            }
            vars.put("ansible_ssh_common_args", sshCommonArgs(host));
            if (controlPathDir != null) vars.put("ansible_control_path_dir", controlPathDir.toString());
        }
        vars.put("ansible_python_interpreter", PYTHON);

        StringBuilder out = new StringBuilder(512);
        out.append("# The host of one operation run, written by image-builder.\n");
        out.append("{\n  \"all\": {\n    \"hosts\": {\n").append(HOST_INDENT).append("!unsafe ");
        ExtraVars.quote(name, out);
        out.append(": ");
        ExtraVars.write(vars, out, HOST_INDENT);
        out.append("\n    }\n  }\n}\n");
        return out.toString();
    }

    /** Ansible splits this value like a shell does, so paths are quoted when they need it. */
    static String sshCommonArgs(HostConnection host) {
        List<String> args = new ArrayList<>();
        if (host.knownHosts() != null) {
            args.add("-o");
            String file = host.knownHosts().toAbsolutePath().toString();
            // ssh reads several whitespace-separated files from this option unless the value is double-quoted
            if (file.chars().anyMatch(Character::isWhitespace)) file = '"' + file + '"';
            args.add(shellQuote("UserKnownHostsFile=" + file));
        }
        args.add("-o");
        args.add("StrictHostKeyChecking=yes");
        if (host.privateKey() != null) {
            args.add("-o");
            args.add("IdentitiesOnly=yes");
        }
        return String.join(" ", args);
    }

    static String shellQuote(String s) {
        if (SAFE_ARGUMENT.matcher(s).matches()) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
