package io.imagebuilder.tosca.syntax;

import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;

import java.util.Set;

/** Recognises intrinsic function calls: a map with exactly one key that names a function. */
public final class FunctionNames {

    public static final Set<String> SUPPORTED = Set.of("get_input", "get_property", "get_attribute",
            "get_operation_output", "get_artifact", "concat", "join", "token");
    public static final Set<String> UNSUPPORTED = Set.of("get_nodes_of_type");

    private FunctionNames() {
    }

    public static boolean isCall(YNode node) {
        return node instanceof YMap m && m.size() == 1
                && (SUPPORTED.contains(name(m)) || UNSUPPORTED.contains(name(m)))
                // token only ever takes a list; {token: "..."} is a value such as a tosca.datatypes.Credential
                && !("token".equals(name(m)) && !(m.get("token") instanceof io.imagebuilder.yaml.YSeq));
    }

    public static String name(YMap call) {
        return call.keys().iterator().next();
    }
}
