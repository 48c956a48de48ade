package io.imagebuilder.deploy;

import io.imagebuilder.deploy.operation.HostConnection;
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
 * get_artifact, copied where it runs. Copies in the operation's work directory go with it; copies placed elsewhere
 * stay unless the call asked for their removal, which {@link #removePlaced()} does once the operation is over.
 * Copies go to WORK_DIR/node-artifacts/, apart from the directories ansible-runner owns (artifacts/, env/).
 */
final class OperationRuntimeValues implements RuntimeValues {

    private final RuntimeValues state;
    private final HostConnection host;
    private final Path work;
    private final List<Path> toRemove = new ArrayList<>();

    OperationRuntimeValues(RuntimeValues state, HostConnection host, Path work) {
        this.state = state;
        this.host = host;
        this.work = work;
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
        if (!host.local()) {
            throw new IllegalArgumentException("copying artifacts to a remote host (" + host.describe()
                    + ") is not supported; run the operation on a local host, or copy the file in the playbook");
        }
        Path source = Path.of(artifact.baseDirectory()).resolve(artifact.file()).normalize();
        if (!Files.isRegularFile(source)) throw new IllegalArgumentException("file " + source + " not found");
        Path target = location == null
                ? work.resolve("node-artifacts").resolve(StepRunner.safeName(node)).resolve(StepRunner.safeName(
                        artifact.name())).resolve(source.getFileName())
                : placed(work.resolve(location).normalize(), source);
        try {
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot copy " + source + " to " + target + ": " + e.getMessage());
        }
        if (remove && !target.startsWith(work)) toRemove.add(target);
        return target.toString();
    }

    /** A location that is a directory receives the file under its own name; any other names the file. */
    private static Path placed(Path location, Path source) {
        return Files.isDirectory(location) ? location.resolve(source.getFileName()) : location;
    }

    /** Removes the artifacts placed outside the work directory whose get_artifact call asked for it. */
    void removePlaced() {
        for (Path p : toRemove) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a copy that cannot be removed is left; the operation's result stands
            }
        }
    }
}
