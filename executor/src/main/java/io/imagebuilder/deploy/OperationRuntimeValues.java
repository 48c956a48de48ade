package io.imagebuilder.deploy;

import io.imagebuilder.deploy.ansible.RemoteFiles;
import io.imagebuilder.deploy.operation.HostConnection;
import io.imagebuilder.exec.LineSink;
import io.imagebuilder.tosca.function.RuntimeValues;
import io.imagebuilder.tosca.topology.Artifact;
import io.imagebuilder.yaml.YNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The run-time values one operation sees: what the state recorded, and the node artifacts it asks for with
 * get_artifact, copied where it runs. The copy is made as the call is resolved, so before the operation starts.
 * <p>
 * On the local machine, copies without a location go to WORK_DIR/node-artifacts/, apart from the directories
 * ansible-runner owns (artifacts/, env/), and go with the work directory. On an SSH host they go to
 * {@link #REMOTE_DIRECTORY}/DEPLOYMENT_ID/NODE/ARTIFACT/, directories of mode 0700 private to the deployment (each
 * deployment has an id of its own, kept in its state), and stay there like
 * copies placed at a location; the host has no work directory that is removed afterwards. Copies whose call asked
 * for it are removed by {@link #removePlaced(LineSink)} once the operation is over.
 */
final class OperationRuntimeValues implements RuntimeValues {

    /** Where artifacts go on SSH hosts, in the home directory of the SSH user: DEPLOYMENT_ID/NODE/ARTIFACT/FILE. */
    static final String REMOTE_DIRECTORY = "~/.image-builder-artifacts";

    private final RuntimeValues state;
    private final HostConnection host;
    private final Path work;
    private final RemoteFiles remote;
    private final String deploymentId;
    private final List<Path> toRemove = new ArrayList<>();
    private final List<String> toRemoveRemotely = new ArrayList<>();

    /** An operation on the local machine. */
    OperationRuntimeValues(RuntimeValues state, Path work) {
        this(state, HostConnection.LOCAL, work, null, null);
    }

    /**
     * @param remote how files reach the host, null on the local machine
     * @param deploymentId names the deployment's directory on the host, null on the local machine
     */
    OperationRuntimeValues(RuntimeValues state, HostConnection host, Path work, RemoteFiles remote,
                           String deploymentId) {
        if (!host.local() && (remote == null || deploymentId == null)) {
            throw new IllegalArgumentException("an SSH host needs a way to copy files and a directory for them");
        }
        this.state = state;
        this.host = host;
        this.work = work;
        this.remote = remote;
        this.deploymentId = deploymentId;
    }

    @Override
    public boolean available() {
        return state.available();
    }

    @Override
    public YNode attribute(String node, String capability, String attribute) {
        return state.attribute(node, capability, attribute);
    }

    @Override
    public YNode operationOutput(String node, String interfaceName, String operation, String output) {
        return state.operationOutput(node, interfaceName, operation, output);
    }

    @Override
    public YNode relationshipAttribute(String source, String relationship, String attribute) {
        return state.relationshipAttribute(source, relationship, attribute);
    }

    @Override
    public String artifactPath(String node, Artifact artifact, String location, boolean remove) {
        Path source = Path.of(artifact.baseDirectory()).resolve(artifact.file()).normalize();
        if (!Files.isRegularFile(source)) throw new IllegalArgumentException("file " + source + " not found");
        if (!host.local()) return copyToHost(node, artifact, source, location, remove);
        Path target = location == null
                ? work.resolve("node-artifacts").resolve(StepRunner.safeName(node)).resolve(StepRunner.safeName(
                        artifact.name())).resolve(source.getFileName())
                : placed(Path.of(location).normalize(), source);
        try {
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot copy " + source + " to " + target + ": " + e.getMessage());
        }
        if (remove && !target.startsWith(work)) toRemove.add(target);
        return target.toString();
    }

    private String copyToHost(String node, Artifact artifact, Path source, String location, boolean remove) {
        List<String> directories = List.of();
        String target = location;
        if (location == null) {
            String deployment = REMOTE_DIRECTORY + "/" + deploymentId;
            String nodeDirectory = deployment + "/" + StepRunner.safeName(node);
            String artifactDirectory = nodeDirectory + "/" + StepRunner.safeName(artifact.name());
            // each level is created with mode 0700, so the deployment's files are private whatever the umask
            directories = List.of(REMOTE_DIRECTORY, deployment, nodeDirectory, artifactDirectory);
            target = artifactDirectory + "/" + source.getFileName();
        }
        String path;
        try {
            path = remote.copy(source, target, directories);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot copy " + source + " to " + host.describe() + ": "
                    + e.getMessage());
        }
        if (remove) toRemoveRemotely.add(path);
        return path;
    }

    /** A location that is a directory receives the file under its own name; any other names the file. */
    private static Path placed(Path location, Path source) {
        return Files.isDirectory(location) ? location.resolve(source.getFileName()) : location;
    }

    /**
     * Removes the copies whose get_artifact call asked for it, whatever the operation's outcome; one that cannot be
     * removed is left, with a warning to {@code warnings}, and the operation's result stands.
     */
    void removePlaced(LineSink warnings) {
        for (Path p : toRemove) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                warnings.line("warning: could not remove the artifact " + p + ": " + e.getMessage());
            }
        }
        if (toRemoveRemotely.isEmpty()) return;
        try {
            remote.remove(toRemoveRemotely);
        } catch (IOException e) {
            warnings.line("warning: could not remove the artifacts " + String.join(", ", toRemoveRemotely) + " from "
                    + host.describe() + ": " + e.getMessage());
        }
    }
}
