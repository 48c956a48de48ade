package io.imagebuilder.tosca.function;

import io.imagebuilder.problem.Location;
import io.imagebuilder.yaml.YNode;

import java.util.List;

/** A parsed intrinsic function call. Arguments that may themselves be calls are kept as values. */
public sealed interface Call {

    Location location();

    /** get_input: an input name, then keys and list indexes into its value. */
    record GetInput(String input, List<Object> path, Location location) implements Call {
        public GetInput {
            path = List.copyOf(path);
        }
    }

    /**
     * get_property or get_attribute: an entity (SELF, SOURCE, TARGET, HOST or a node name), then an optional
     * requirement or capability name, a property or attribute name, and keys or indexes into its value.
     */
    record GetValue(boolean attribute, String entity, List<Object> path, Location location) implements Call {
        public GetValue {
            path = List.copyOf(path);
        }

        public String function() {
            return attribute ? "get_attribute" : "get_property";
        }
    }

    record GetOperationOutput(String entity, String interfaceName, String operation, String output,
                              Location location) implements Call {
    }

    /**
     * get_artifact: the path of a node's artifact where its operation runs; {@code place} null or LOCAL_FILE for
     * wherever the orchestrator puts it, {@code remove} whether to delete it after the operation.
     */
    record GetArtifact(String entity, String artifact, YNode place, boolean remove, Location location)
            implements Call {
        public static final String LOCAL_FILE = "LOCAL_FILE";
    }

    record Concat(List<YNode> parts, Location location) implements Call {
        public Concat {
            parts = List.copyOf(parts);
        }
    }

    /** join: a list of strings, and an optional delimiter (default empty). */
    record Join(YNode list, YNode delimiter, Location location) implements Call {
    }

    /** token: split a string at any of the separator characters and take the part at an index. */
    record Token(YNode text, YNode separators, YNode index, Location location) implements Call {
    }
}
