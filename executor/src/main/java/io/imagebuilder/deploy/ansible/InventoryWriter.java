package io.imagebuilder.deploy.ansible;

import io.imagebuilder.deploy.operation.HostConnection;
import io.imagebuilder.ssh.SshEndpoint;
import io.imagebuilder.ssh.SshOptions;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * SSH hosts are reached with the options of every connection ({@link SshOptions}): the host key always
 * verified against the connection's known hosts file (or the SSH client's default ones when it names none). The SSH connection sharing Ansible
 * uses (ControlPersist) keeps its sockets in {@code controlPathDir}, which belongs to this run only, so a
 * connection opened by another run, perhaps with other known hosts, is never reused.
 * <p>
 * On the local machine, modules are copied to {@code tempDir} in the run's work directory rather than
 * {@code ~/.ansible/tmp}, so that a stopped run leaves none of their arguments behind.
 */
final class InventoryWriter {

    static final String PYTHON = "/usr/bin/python3";
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
            SshEndpoint ssh = host.ssh();
            name = ssh.host();
            vars.put("ansible_connection", "ssh");
            vars.put("ansible_host", ssh.host());
            if (ssh.port() != null) vars.put("ansible_port", ssh.port());
            if (ssh.user() != null) vars.put("ansible_user", ssh.user());
            if (ssh.identity().privateKey() != null) {
                vars.put("ansible_ssh_private_key_file", ssh.identity().privateKey().toAbsolutePath().toString());
            }
            vars.put("ansible_ssh_common_args", SshOptions.shellWords(ssh.identity()));
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
}
