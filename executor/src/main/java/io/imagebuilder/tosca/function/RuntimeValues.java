package io.imagebuilder.tosca.function;

import io.imagebuilder.tosca.topology.Artifact;
import io.imagebuilder.yaml.YNode;

/** Values that exist only once operations have run: attributes they set and outputs they returned. */
public interface RuntimeValues {

    /** Before a deployment nothing is known, so run-time references stay unresolved. */
    RuntimeValues NONE = new RuntimeValues() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public YNode attribute(String node, String capability, String attribute) {
            return null;
        }

        @Override
        public YNode operationOutput(String node, String interfaceName, String operation, String output) {
            return null;
        }
    };

    /** False while planning: run-time references are then kept as calls, to be resolved when they run. */
    boolean available();

    /** The current value of an attribute ({@code capability} null for the node's own), or null if never set. */
    YNode attribute(String node, String capability, String attribute);

    YNode operationOutput(String node, String interfaceName, String operation, String output);

    /**
     * Where artifact {@code artifact} of {@code node} is for the operation about to run: its path on the operation's
     * host, placed at {@code location} (null: wherever the orchestrator chooses) and removed after the operation when
     * {@code remove}. Throws IllegalArgumentException, with a message saying why, when it cannot be placed there.
     */
    default String artifactPath(String node, Artifact artifact, String location, boolean remove) {
        throw new IllegalArgumentException("artifacts are placed only when an operation runs");
    }

    /**
     * The current value of an attribute of the relationship {@code relationship} (see {@code Relationship.key})
     * of node {@code source}, or null if never set.
     */
    default YNode relationshipAttribute(String source, String relationship, String attribute) {
        return null;
    }
}
