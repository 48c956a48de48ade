package io.imagebuilder.tosca.syntax;

import java.util.Set;

/** The kinds of TOSCA type, each in its own name space, with the keys a definition of that kind may use. */
public enum TypeKind {
    ARTIFACT("artifact_types", "artifact type", "tosca.artifacts.",
            Set.of("mime_type", "file_ext", "properties")),
    DATA("data_types", "data type", "tosca.datatypes.",
            Set.of("properties", "constraints", "key_schema", "entry_schema")),
    CAPABILITY("capability_types", "capability type", "tosca.capabilities.",
            Set.of("properties", "attributes", "valid_source_types")),
    INTERFACE("interface_types", "interface type", "tosca.interfaces.",
            Set.of("inputs", "operations", "notifications")),
    RELATIONSHIP("relationship_types", "relationship type", "tosca.relationships.",
            Set.of("properties", "attributes", "interfaces", "valid_target_types")),
    NODE("node_types", "node type", "tosca.nodes.",
            Set.of("properties", "attributes", "requirements", "capabilities", "interfaces", "artifacts")),
    GROUP("group_types", "group type", "tosca.groups.",
            Set.of("properties", "attributes", "members", "requirements", "capabilities", "interfaces")),
    POLICY("policy_types", "policy type", "tosca.policies.",
            Set.of("properties", "targets", "triggers"));

    public static final Set<String> COMMON_KEYS = Set.of("derived_from", "version", "metadata", "description");

    private final String section;
    private final String label;
    private final String normativePrefix;
    private final Set<String> keys;

    TypeKind(String section, String label, String normativePrefix, Set<String> keys) {
        this.section = section;
        this.label = label;
        this.normativePrefix = normativePrefix;
        this.keys = keys;
    }

    /** The service template key holding definitions of this kind, e.g. "node_types". */
    public String section() {
        return section;
    }

    /** How messages name the kind, e.g. "node type". */
    public String label() {
        return label;
    }

    /** Prefix of the normative names that may be shortened, e.g. "tosca.nodes." for "Compute". */
    public String normativePrefix() {
        return normativePrefix;
    }

    public Set<String> keys() {
        return keys;
    }
}
