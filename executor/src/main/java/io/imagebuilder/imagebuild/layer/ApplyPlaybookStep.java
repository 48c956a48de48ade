package io.imagebuilder.imagebuild.layer;

import io.imagebuilder.exec.Cancellation;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.exec.ProcessResult;
import io.imagebuilder.exec.ProcessRunner;
import io.imagebuilder.imagebuild.host.PrivateDirectory;
import io.imagebuilder.imagebuild.outcome.BuildException;
import io.imagebuilder.util.Trees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Applies a playbook to a running container on a build host with ansible-runner and the community.docker.docker
 * connection, which reaches the container through the docker client over the host's held connection (its
 * DOCKER_HOST): no SSH server in the container, no second route to the host.
 */
public final class ApplyPlaybookStep {

    private ApplyPlaybookStep() {
    }

    /**
     * @param environment the docker client's environment for the build host (DOCKER_HOST and the like)
     * @param groups      the inventory groups the container is in, as the playbook's hosts name them
     */
    public static void run(String container, Path playbook, List<String> groups, Map<String, String> environment,
                           String label, LineSink log, Cancellation cancellation) throws BuildException {
        Path playbookFile = playbook.toAbsolutePath().normalize();
        if (!Files.isRegularFile(playbookFile)) {
            throw new BuildException(label + ": the playbook " + playbookFile + " is not a file");
        }
        Path dir;
        try {
            dir = PrivateDirectory.create();
        } catch (IOException e) {
            throw new BuildException(label + ": cannot create a directory for ansible-runner: " + e.getMessage(), e);
        }
        String ident = UUID.randomUUID().toString();
        try {
            Files.createDirectories(dir.resolve("inventory"));
            Files.createDirectories(dir.resolve("env"));
            Files.writeString(dir.resolve("inventory/hosts"), inventory(container, groups), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("env/envvars"), "ANSIBLE_NOCOLOR: \"1\"\n"
                    + "ANSIBLE_RETRY_FILES_ENABLED: \"False\"\n", StandardCharsets.UTF_8);
            ProcessResult r = ProcessRunner.run(ProcessRunner.command("ansible-runner", List.of("run",
                            dir.toString(), "-p", playbookFile.getFileName().toString(), "--project-dir",
                            playbookFile.getParent().toString(), "--ident", ident)), environment, dir, null,
                    line -> log.line("[" + label + "] " + line), line -> log.line("[" + label + "] " + line), null,
                    cancellation);
            if (r.cancelled()) throw new BuildException(label + ": cancelled");
            String status = read(dir.resolve("artifacts").resolve(ident).resolve("status"));
            if (!r.succeeded() || !"successful".equals(status)) {
                throw new BuildException(label + ": the playbook " + playbookFile.getFileName() + " failed ("
                        + (status == null ? "exit status " + r.exitCode() : status) + ")");
            }
        } catch (IOException e) {
            throw new BuildException(label + ": cannot run ansible-runner: " + e.getMessage(), e);
        } finally {
            Trees.delete(dir);
        }
    }

    /** The container in each group (or in "all" alone), reached with the docker connection. */
    static String inventory(String container, List<String> groups) {
        String host = container + " ansible_connection=community.docker.docker "
                + "ansible_python_interpreter=auto_silent\n";
        if (groups.isEmpty()) return host;
        StringBuilder out = new StringBuilder();
        for (String group : groups) out.append('[').append(group).append("]\n").append(host);
        return out.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
