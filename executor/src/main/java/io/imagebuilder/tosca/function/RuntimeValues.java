package io.imagebuilder.tosca.function;

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
     * The current value of an attribute of the relationship {@code relationship} (see {@code Relationship.key})
     * of node {@code source}, or null if never set.
     */
    default YNode relationshipAttribute(String source, String relationship, String attribute) {
        return null;
    }
}
